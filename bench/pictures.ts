/**
 * npm run bench -- pictures: a phone-sized screenshot (780 × 1688, a rendered Japanese SMS) from bytes to a verdict
 * with OCR (target under 3 s on one core), the same with the OCR worker already started, and QR decoding of an
 * 800 × 600 picture (PNG and JPEG; target under 200 ms). Medians, wall and the process's CPU time (all threads).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePixels } from '#adapters/image/pixels.ts';
import { decodeQr } from '#adapters/image/qr.ts';
import { nodeImageReader } from '#adapters/image/reader.ts';
import { loadKnowledge, packageRoot } from '#adapters/knowledge/load.ts';
import { checkMessage } from '#core/check/index.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function timed<T>(fn: () => Promise<T> | T): Promise<{ wall: number; cpu: number; value: T }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  return { wall: performance.now() - t, cpu: cpuMs(process.cpuUsage(c)), value };
}

export async function benchPictures(): Promise<void> {
  const dir = join(packageRoot(), 'test', 'fixtures', 'pictures');
  const knowledge = loadKnowledge();
  const shot = new Uint8Array(readFileSync(join(dir, 'sms-phish-ja.png')));
  console.log('\npictures');
  const cold: number[] = [];
  const coldCpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    const reader = nodeImageReader(knowledge.scoring.limits.image);
    const r = await timed(() => checkMessage(shot, knowledge, { readImage: reader }));
    if (!r.value.ok || r.value.result.verdict !== 'phishing')
      throw new Error('bench: screenshot not phishing');
    cold.push(r.wall);
    coldCpu.push(r.cpu);
    await reader.close();
  }
  const reader = nodeImageReader(knowledge.scoring.limits.image);
  await checkMessage(shot, knowledge, { readImage: reader });
  const warm: number[] = [];
  const warmCpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await timed(() => checkMessage(shot, knowledge, { readImage: reader }));
    warm.push(r.wall);
    warmCpu.push(r.cpu);
  }
  await reader.close();
  console.log(
    `  screenshot 780×1688 → verdict, OCR worker started for it: ${median(cold).toFixed(0)} ms wall, ${median(coldCpu).toFixed(0)} ms CPU (median of 3; target < 3000 ms)`,
  );
  console.log(
    `  screenshot → verdict, worker already running: ${median(warm).toFixed(0)} ms wall, ${median(warmCpu).toFixed(0)} ms CPU (median of 5)`,
  );
  for (const name of ['qr-lookalike.png', 'qr-lookalike.jpg']) {
    const bytes = new Uint8Array(readFileSync(join(dir, name)));
    const runs: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await timed(() => decodeQr(decodePixels(bytes, 12e6)!));
      if (r.value.length !== 1) throw new Error(`bench: no QR code in ${name}`);
      runs.push(r.wall);
      cpu.push(r.cpu);
    }
    console.log(
      `  QR decode 800×600 ${name.split('.')[1]}: ${median(runs).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU (decode + jsQR, median of 20; target < 200 ms)`,
    );
  }
}
