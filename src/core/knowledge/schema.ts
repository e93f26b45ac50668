import { z } from 'zod';
import { detectorIds } from '#core/check/detectors/ids.ts';
import { inputShapes, severities, situations, stepWhens, weekdays } from './constants.ts';

export {
  severities,
  situations,
  stepWhens,
  weekdays,
  type Severity,
  type Situation,
  type StepWhen,
  type Weekday,
} from './constants.ts';

const domain = z
  .string()
  .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a lower-case domain such as amazon.co.jp')
  .describe('registrable domain');

export const merchantKinds = [
  'retail',
  'marketplace',
  'card-issuer',
  'carrier',
  'logistics',
  'government',
  'tech',
  'payment',
  'transport',
] as const;
export const currencies = [
  'JPY',
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'MXN',
  'BRL',
  'INR',
  'AUD',
  'SEK',
  'PLN',
  'TRY',
  'AED',
  'SAR',
  'SGD',
  'EGP',
] as const;

export const merchantSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string(),
    /** The name as English text writes it, for a brand whose `name` is written in Japanese (楽天カード → Rakuten Card). */
    nameEn: z.string().optional(),
    /** Which playbook answers this brand's phishing and charges (data/playbooks/<region>.yaml), not its country. */
    region: z.enum(['jp', 'us']),
    /** What the brand is; says nothing to the rules, which treat every profile alike. */
    kind: z.enum(merchantKinds),
    /** Profiles of one brand (Amazon's storefronts): the claim is decided between them by language and domains. */
    family: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .optional(),
    /** ISO 3166-1 alpha-2 country the profile serves (lower case). */
    country: z
      .string()
      .regex(/^[a-z]{2}$/)
      .optional(),
    /** The brand's main site (a storefront for a shop). */
    storefront: domain,
    timezone: z.string(),
    currency: z.enum(currencies),
    brandTokens: z.array(z.string().min(2)).min(1),
    /**
     * ASCII brand words phishers imitate or disguise (amaz0n, arnazon, "A m a z o n"): compared by edit distance,
     * endings and spacing. Only for words no ordinary word is one letter away from ("saison" is: "raison").
     */
    lookalikeWords: z.array(z.string().regex(/^[a-z0-9]+$/)).default([]),
    /** Words that claim the brand only in a sender name (a whole word there: "Prime US e-Center"). */
    senderNameTokens: z.array(z.string().min(2)).default([]),
    /**
     * Words that claim the brand only as the whole sender name ("Alexa"): they are also first names, and "Alexa
     * Smith" is a person.
     */
    senderNameOnly: z.array(z.string().min(2)).default([]),
    /** Phrases that claim the brand in a subject line ("prime membership"). */
    subjectPhrases: z.array(z.string().min(2)).default([]),
    senderDomains: z.array(domain).min(1),
    infrastructureDomains: z.array(domain),
    linkDomains: z.array(domain).min(1),
    /**
     * Paths of the brand's own sites that phishing kits copy (`/ap/signin`, `/e-navi/`): on a host no profile of
     * the brand's family links to, a link with one is a copy of the brand's page. Lower case, from the first `/`.
     */
    linkPaths: z.array(z.string().regex(/^\/[a-z0-9/_.-]+$/)).default([]),
    cdnDomains: z.array(domain),
    usualDateZones: z.array(z.string().regex(/^[+-]\d{4}$/)),
    languages: z.array(z.string().length(2)),
    /** Languages for which this profile is the one meant when nothing else tells (German → amazon-de). */
    defaultFor: z.array(z.string().length(2)).default([]),
    /** The shape of the brand's order numbers (a regular expression); found only as a whole token in a mail. */
    orderIdPattern: z
      .string()
      .refine((p) => {
        try {
          new RegExp(p, 'u');
          return true;
        } catch {
          return false;
        }
      }, 'not a valid regular expression')
      .optional(),
    report: z.array(
      z
        .object({
          id: z.string(),
          email: z.string().email().optional(),
          url: z.string().optional(),
          uncertain: z.boolean().optional(),
          source: z.string(),
        })
        .strict(),
    ),
    // Reconciliation knowledge (statement descriptors, subscriptions) is optional per profile.
    /** How the brand's charges read on card statements (regex on the NFKC upper-cased descriptor), first match wins. */
    descriptors: z
      .array(
        z
          .object({
            pattern: z.string(),
            kind: z.enum(['retail', 'marketplace', 'digital', 'subscription', 'pay', 'not-retail']),
            source: z.string(),
          })
          .strict(),
      )
      .default([]),
    subscriptions: z
      .array(
        z
          .object({
            id: z.string(),
            name: z.string(),
            descriptor: z.string().optional(),
            /** How the subscription's line reads in a digital order (regex on the NFKC item name, case-insensitive). */
            orderItems: z.array(z.string()).optional(),
            prices: z.array(
              z
                .object({
                  amount: z.number().positive(),
                  period: z.enum(['month', 'year']),
                  since: z.string().optional(),
                  until: z.string().optional(),
                })
                .strict(),
            ),
            source: z.string(),
            uncertain: z.boolean().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();
export type Merchant = z.infer<typeof merchantSchema>;

/** A URL a list must match (`hit`) or must not (`miss`), run by the rule that names the list (test/rules). */
export const listCaseSchema = z
  .object({ expect: z.enum(['hit', 'miss']), url: z.string().min(1), note: z.string().optional() })
  .strict();
export const listSpecSchema = z
  .object({
    id: z.string(),
    items: z.array(z.string().min(1)).min(1),
    /** Where the entries come from (lists of hosts that rules judge links by). */
    sources: z.array(z.string()).default([]),
    cases: z.array(listCaseSchema).default([]),
  })
  .strict();
export type ListSpec = z.infer<typeof listSpecSchema>;
export type ListCase = z.infer<typeof listCaseSchema>;
/** A list as the programs load it (no sources, no cases). */
export type List = Pick<ListSpec, 'id' | 'items'>;

export const confusablesSchema = z
  .object({ id: z.literal('confusables'), map: z.record(z.string().length(1), z.string().min(1)) })
  .strict();

/** How brand names are imitated: character skeleton folded before comparing, and endings that still read as the brand. */
export const lookalikeSchema = z
  .object({
    id: z.literal('lookalike'),
    skeleton: z.record(z.string().min(1), z.string()),
    suffixes: z.array(z.string().regex(/^[a-z0-9]+$/)).min(1),
    cases: z
      .array(
        z
          .object({
            word: z.string().min(1),
            brand: z.string().min(1),
            expect: z.enum(['hit', 'miss']),
            note: z.string().optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();
export type Lookalike = z.infer<typeof lookalikeSchema>;

export const phraseListSchema = z
  .object({
    id: z.string(),
    lang: z.enum(['ja', 'en', 'any']),
    description: z.string().optional(),
    /** Literal phrases, compared after normalisation (NFKC, confusables folded, invisible characters and spaces removed for ja). */
    phrases: z.array(z.string().min(2)).optional(),
    /** Regular expressions (Unicode, case-insensitive), written without nested quantifiers. */
    patterns: z.array(z.string().min(2)).optional(),
  })
  .strict()
  .refine(
    (l) => (l.phrases?.length ?? 0) + (l.patterns?.length ?? 0) > 0,
    'a phrase list needs phrases or patterns',
  );
export type PhraseList = z.infer<typeof phraseListSchema>;

export const ruleCaseSchema = z
  .object({
    expect: z.enum(['hit', 'miss']),
    note: z.string().optional(),
    /** Known order IDs of the user, for order rules. */
    orders: z.array(z.string()).optional(),
    /** The test encodes `mail` in this charset before checking it (for charset cases). */
    encoding: z.enum(['utf-8', 'shift_jis', 'euc-jp', 'iso-2022-jp']).optional(),
    mail: z.string().min(1),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z]+\.[a-z0-9-]+$/, 'rule ids look like area.name'),
    severity: z.enum(severities),
    /** Points added to the 0–100 score when the rule hits (negative for evidence of legitimacy). */
    weight: z.number().int().min(-100).max(100),
    detector: z.enum(detectorIds),
    params: z.record(z.unknown()).default({}),
    /** The rule runs only on inputs of these shapes (`src/core/check/shape.ts`); every input when absent. */
    inputs: z.array(z.enum(inputShapes)).min(1).optional(),
    description: z.string(),
    references: z.array(z.string()).default([]),
    cases: z.array(ruleCaseSchema),
  })
  .strict();
/** A rule as written in data/rules, with its cases (the knowledge build and the tests read these). */
export type RuleSpec = z.infer<typeof ruleSchema>;
/** A rule as the check runs it: the built knowledge carries no test cases. */
export type Rule = Omit<RuleSpec, 'cases'>;
export type RuleCase = z.infer<typeof ruleCaseSchema>;

/** Limits on reading pictures; defaults apply when `data/scoring.yaml` leaves them out. */
const imageLimitsSchema = z
  .object({
    /** Pixels (width × height) of one image; a larger one is not decoded. */
    maxPixels: z.number().int().positive().default(12_000_000),
    /** Encoded bytes of one image. */
    maxBytes: z.number().int().positive().default(20_971_520),
    /** Pages of an attached PDF whose pictures are searched for QR codes. */
    maxPdfPages: z.number().int().min(0).default(2),
    /** Images of one mail that are read (attachments and inline images, in order). */
    maxImagesPerMail: z.number().int().positive().default(10),
    /** OCR of one image, then it is abandoned (the worker is restarted). */
    ocrTimeoutMs: z.number().int().positive().default(15_000),
    /** OCR and QR decoding of all of one mail's (or one screenshot's) images together. */
    totalMsPerMail: z.number().int().positive().default(30_000),
    /** A word read with less confidence (0–100) than this is "uncertain": a domain holding one is never trusted. */
    minConfidence: z.number().min(0).max(100).default(80),
    /** A mail whose visible text has at most this many characters (besides images) is image-only. */
    imageOnlyMaxChars: z.number().int().min(0).default(40),
    /** Pictures whose readings are remembered by their content for the next mail with the same bytes (0: none). */
    remembered: z.number().int().min(0).default(256),
  })
  .strict()
  .default({});

export const scoringSchema = z
  .object({
    phishingAt: z.number().int().min(1).max(100),
    suspiciousAt: z.number().int().min(1).max(100),
    /** Findings of these severities in these areas keep an authenticated mail from being called legitimate. */
    blockLegitimate: z.object({ areas: z.array(z.string()), minSeverity: z.enum(severities) }).strict(),
    /** How many times the brand must be named in the body alone for the mail to count as claiming it. */
    bodyMentionsForClaim: z.number().int().min(1),
    /** A link pasted on its own: findings that make it `phishing` whatever the score (engine.ts `judge`). */
    linkOnly: z.object({ phishing: z.array(z.string()).min(1) }).strict(),
    /**
     * A mail that claims no brand becomes suspicious only with a finding of `minSeverity` or more that is not one of
     * `weak` (generic attachments): ordinary mail carries PDFs and mislabelled charsets.
     */
    unclaimed: z.object({ weak: z.array(z.string()), minSeverity: z.enum(severities) }).strict(),
    limits: z
      .object({
        maxMessageBytes: z.number().int().positive(),
        maxTextChars: z.number().int().positive(),
        maxLinks: z.number().int().positive(),
        maxParts: z.number().int().positive(),
        maxNestingDepth: z.number().int().positive(),
        maxHeaderBytes: z.number().int().positive(),
        /** Applied to the raw bytes before any parser sees them (src/core/mail/limits.ts). */
        maxHeaderLineBytes: z.number().int().min(1024),
        maxEncodedWordsPerHeader: z.number().int().positive(),
        maxBoundaryLines: z.number().int().positive(),
        maxBase64BytesPerPart: z.number().int().positive(),
        maxBodyLines: z.number().int().positive(),
        maxHtmlNodes: z.number().int().positive(),
        maxHtmlDepth: z.number().int().min(8),
        maxFindingsPerRule: z.number().int().positive(),
        /** Outlook .msg: read in a worker with its own heap and a deadline, after its CFB structure is checked. */
        msg: z
          .object({
            maxBytes: z.number().int().positive(),
            maxStreams: z.number().int().positive(),
            maxSectors: z.number().int().positive(),
            timeoutMs: z.number().int().positive(),
            heapMb: z.number().int().min(16),
          })
          .strict(),
        /** Attached PDFs: text and links read in a worker with its own heap and a deadline, within these. */
        pdf: z
          .object({
            maxBytes: z.number().int().positive(),
            maxPages: z.number().int().positive(),
            maxTextChars: z.number().int().positive(),
            timeoutMs: z.number().int().positive(),
            heapMb: z.number().int().min(16),
            /** PDFs whose readings are remembered by their content (src/adapters/content-cache.ts; 0: none). */
            remembered: z.number().int().min(0).default(32),
          })
          .strict(),
        /** Pictures (screenshots, image attachments): OCR and QR decoding within these (src/core/check/pictures.ts). */
        image: imageLimitsSchema,
      })
      .strict(),
  })
  .strict();
export type Scoring = z.infer<typeof scoringSchema>;

export const messagesSchema = z
  .object({
    lang: z.enum(['ja', 'en']),
    findings: z.record(z.object({ title: z.string(), detail: z.string() }).strict()).default({}),
    text: z.record(z.string()).default({}),
  })
  .strict();
export type Messages = z.infer<typeof messagesSchema>;

/** A card-statement CSV layout: how to recognise it and which column holds what. */
export const statementLayoutSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string(),
    /** The card company, as a dispute declaration names it. */
    issuer: z.string().optional(),
    currency: z.enum(['JPY', 'USD']),
    source: z.string(),
    /** Column names (or /regex/) a header row must contain; absent for headerless layouts. */
    require: z.array(z.string()).optional(),
    headerless: z
      .object({ cells: z.number().int().positive(), firstRowMarker: z.string().optional() })
      .strict()
      .optional(),
    /** Column names, /regex/, or (headerless) 0-based positions as strings. */
    columns: z
      .object({
        date: z.string(),
        description: z.string(),
        amount: z.string().optional(),
        debit: z.string().optional(),
        credit: z.string().optional(),
        cardholder: z.string().optional(),
      })
      .strict(),
    sign: z.enum(['charge-positive', 'charge-negative', 'debit-credit']),
    dateOrder: z.enum(['ymd', 'mdy', 'dmy']).default('ymd'),
    skip: z.object({ column: z.string(), pattern: z.string() }).strict().optional(),
    /** Small files the layout must detect (hit) and must not (miss), run by test/ledger/layout-cases.test.ts. */
    cases: z
      .array(
        z
          .object({
            expect: z.enum(['hit', 'miss']),
            note: z.string().optional(),
            /** The test encodes `csv` in this charset before reading it (statements come in all of these). */
            encoding: z.enum(['utf-8', 'shift_jis', 'utf-16le']).optional(),
            csv: z.string().min(1),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()
  .refine(
    (l) => (l.require ? !l.headerless : !!l.headerless),
    'a layout has either require (a header) or headerless',
  )
  .refine(
    (l) => (l.sign === 'debit-credit' ? !!(l.columns.debit && l.columns.credit) : !!l.columns.amount),
    'amount, or debit and credit, must be mapped',
  );
/** A statement layout as written in data/statements, with its detection cases. */
export type StatementLayoutSpec = z.infer<typeof statementLayoutSchema>;
/** A statement layout as the importer uses it: the built knowledge carries no test cases. */
export type StatementLayout = Omit<StatementLayoutSpec, 'cases'>;

/** An order or charge risk signal: a detector with parameters, a weight, and scenario cases that must hit and must not. */
export const riskRuleSchema = z
  .object({
    id: z.string().regex(/^(order|charge)\.[a-z0-9-]+$/),
    severity: z.enum(severities),
    weight: z.number().int().min(0).max(100),
    detector: z.string(),
    params: z.record(z.unknown()).default({}),
    /** The rule runs only on inputs of these shapes (`src/core/check/shape.ts`); every input when absent. */
    inputs: z.array(z.enum(inputShapes)).min(1).optional(),
    description: z.string(),
    cases: z.array(
      z
        .object({
          expect: z.enum(['hit', 'miss']),
          note: z.string().optional(),
          /** The order (or charge) under test is the last one; earlier ones are the user's history. */
          orders: z.array(z.record(z.unknown())).default([]),
          charges: z.array(z.record(z.unknown())).default([]),
        })
        .strict(),
    ),
  })
  .strict();
/** A risk rule as written in data/risk, with its scenario cases. */
export type RiskRuleSpec = z.infer<typeof riskRuleSchema>;
/** A risk rule as reconciliation runs it: the built knowledge carries no test cases. */
export type RiskRule = Omit<RiskRuleSpec, 'cases'>;

export const reconcileSettingsSchema = z
  .object({
    /** Days a card charge may post after the shipment date (and before it, for time-zone slack). */
    shipWindow: z.object({ before: z.number().int().min(0), after: z.number().int().min(0) }).strict(),
    orderWindow: z.object({ before: z.number().int().min(0), after: z.number().int().min(0) }).strict(),
    refundWindow: z.object({ before: z.number().int().min(0), after: z.number().int().min(0) }).strict(),
    /** Days around a payment the export itself records (the card date as Amazon wrote it). */
    exportPaymentWindow: z
      .object({ before: z.number().int().min(0), after: z.number().int().min(0) })
      .strict(),
    /** Gaps in days between charges of one descriptor and amount that make them monthly or yearly. */
    recurrence: z
      .object({
        month: z.object({ minDays: z.number().int().min(1), maxDays: z.number().int().min(1) }).strict(),
        year: z.object({ minDays: z.number().int().min(1), maxDays: z.number().int().min(1) }).strict(),
      })
      .strict(),
    /** Words in an order's payment method that mean a gift card or points paid part of it (case-insensitive). */
    partialPaymentWords: z.array(z.string().min(1)).min(1),
    /** This many unexplained charges within this many days of each other are flagged as a burst. */
    unexplainedBurst: z.object({ count: z.number().int().min(2), days: z.number().int().min(0) }).strict(),
    /** The same item ordered again within this many hours is a duplicate. */
    duplicateHours: z.number().positive(),
    maxShipmentCombination: z.number().int().min(1).max(12),
    subscriptionTolerance: z.number().min(0).max(0.5),
    risk: z.object({ low: z.number().int(), medium: z.number().int(), high: z.number().int() }).strict(),
    /** Evidence lines one ledger finding lists at most (a burst of thousands says how many more). */
    maxEvidence: z.number().int().positive(),
    /** Limits on what one import reads, checked before parsing (zip bombs, endless CSVs, giant records). */
    importLimits: z
      .object({
        maxZipEntries: z.number().int().positive(),
        maxEntryBytes: z.number().int().positive(),
        /** Total inflated bytes of one zip, all entries together (a bomb can spread itself over many). */
        maxZipTotalBytes: z.number().int().positive(),
        maxRatio: z.number().positive(),
        maxNestedZipBytes: z.number().int().positive(),
        maxStatementBytes: z.number().int().positive(),
        maxCsvRows: z.number().int().positive(),
        /** Characters in one CSV record (one row, all its cells). */
        maxCsvRecordChars: z.number().int().positive(),
        /** Rows of another width than the first, per CSV: beyond this it is not a table (and parsing crawls). */
        maxRaggedRows: z.number().int().positive(),
        maxFolderFiles: z.number().int().positive(),
      })
      .strict(),
    chargeRisk: z.record(z.enum(['none', 'low', 'medium', 'high'])),
  })
  .strict();
export type ReconcileSettings = z.infer<typeof reconcileSettingsSchema>;

const bilingual = z.object({ ja: z.string().min(1), en: z.string().min(1) }).strict();
const stepText = z
  .object({ title: z.string(), why: z.string(), how: z.string(), prepare: z.array(z.string()) })
  .strict();
const hhmm = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM (24-hour clock)');
const mmdd = z.string().regex(/^(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/, 'MM-DD');

/** A contact route's opening hours, as the reference gives them (times are the playbook's local time). */
export const routeSchema = z
  .object({
    /** Answers around the clock, every day (the card's lost/stolen line, Amazon's callback and chat, web forms). */
    always: z.boolean().default(false),
    hours: z
      .array(
        z
          .object({
            days: z.array(z.enum(weekdays)).min(1),
            from: hhmm,
            to: hhmm,
            /** The reference gives these hours only as an example, or they vary by office. */
            uncertain: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
    /** Closed every year from..to (MM-DD, inclusive; may wrap the year end: 12-29..01-03). */
    closed: z.array(z.object({ from: mmdd, to: mmdd }).strict()).default([]),
    source: z.string(),
  })
  .strict()
  .refine((r) => r.always !== r.hours.length > 0, 'a route is either always open or has hours');
export type Route = z.infer<typeof routeSchema>;

export const playbookStepSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    who: z.enum([
      'self',
      'card-issuer',
      'bank',
      'amazon',
      'seller',
      'carrier',
      'antiphishing-council',
      'police',
      'consumer-hotline',
      'legal-aid',
      'ftc',
      'apwg',
      'ic3',
    ]),
    /** Lower runs first: harm order (stop the money, lock the account, then report). */
    priority: z.number().int(),
    /** How urgent; `now` steps always come first. A card is always stopped `now`. */
    when: z.enum(stepWhens),
    region: z.enum(['jp', 'us', 'any']),
    situations: z.array(z.enum(situations)).min(1),
    /** Left out when any of these situations is also in the plan (the logged-in route when locked out). */
    unless: z.array(z.enum(situations)).default([]),
    /** When any of its situations is in the plan, the step moves (locked out: securing waits for access). */
    overrides: z
      .array(
        z
          .object({
            situations: z.array(z.enum(situations)).min(1),
            when: z.enum(stepWhens).optional(),
            priority: z.number().int().optional(),
          })
          .strict(),
      )
      .default([]),
    /** Added to `how` when any of its situations is in the plan. */
    notes: z
      .array(
        z.object({ situations: z.array(z.enum(situations)).min(1), ja: z.string(), en: z.string() }).strict(),
      )
      .default([]),
    /**
     * Added to `prepare` when any of its situations is in the plan: what only some people have (the fake site's
     * address, for those who opened one), so nobody is asked for what they cannot have.
     */
    prepareIf: z
      .array(
        z.object({ situations: z.array(z.enum(situations)).min(1), ja: z.string(), en: z.string() }).strict(),
      )
      .default([]),
    /** The route whose opening hours say whether the step can be done tonight (a key of the playbook's routes). */
    route: z.string().optional(),
    /** A dated cut-off: days after a base date, with what the rule is and what is left once it has passed. */
    deadline: z
      .object({
        days: z.number().int().positive(),
        /** JP compensation counts from the oldest suspicious charge; FCBA from the statement; Regulation E from when you learned of it. */
        from: z.enum(['first-charge', 'statement-date', 'noticed']),
        /** Count business days (Monday to Friday) instead of calendar days. */
        business: z.boolean().default(false),
        rule: bilingual,
        /** What can still be done once the cut-off has passed. */
        passed: bilingual,
        uncertain: z.boolean().default(false),
      })
      .strict()
      .optional(),
    card: z.array(z.enum(['credit', 'debit', 'prepaid'])).optional(),
    /**
     * Whose account or site the step is about, when a fake mail's brand decides it: `amazon` steps give way, for a
     * mail that impersonated another brand, to the `other` steps, whose text names that brand (`{brand}`, `{site}`).
     * A situation outside the playbook's `mailSituations` (an unknown Amazon order) keeps the Amazon steps.
     */
    brand: z.enum(['amazon', 'other']).optional(),
    source: z.string(),
    uncertain: z.boolean().default(false),
    ja: stepText,
    en: stepText,
  })
  .strict();

/** What happens next ("what to expect"), shown after the steps of the situations it names. */
export const expectationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    region: z.enum(['jp', 'us', 'any']),
    situations: z.array(z.enum(situations)).min(1),
    card: z.array(z.enum(['credit', 'debit', 'prepaid'])).optional(),
    /** As a step's `brand`: an Amazon expectation gives way to the `other` one for another brand's fake mail. */
    brand: z.enum(['amazon', 'other']).optional(),
    source: z.string(),
    uncertain: z.boolean().default(false),
    ja: z.string().min(1),
    en: z.string().min(1),
  })
  .strict();

export const playbookSchema = z
  .object({
    id: z.string(),
    /** The local time of the routes' hours (a fixed offset; a playbook without one may only have always-open routes). */
    utcOffset: z
      .string()
      .regex(/^[+-](?:0\d|1[0-4]):[0-5]\d$/)
      .optional(),
    routes: z.record(z.string().regex(/^[a-z0-9-]+$/), routeSchema).default({}),
    /** The situations a fake mail (of whatever brand) explains; the others are about the person's Amazon account. */
    mailSituations: z.array(z.enum(situations)).default([]),
    steps: z.array(playbookStepSchema).min(1),
    expect: z.array(expectationSchema).default([]),
  })
  .strict()
  .superRefine((pb, ctx) => {
    for (const [id, r] of Object.entries(pb.routes))
      if (r.hours.length && !pb.utcOffset)
        ctx.addIssue({ code: 'custom', message: `route ${id} has hours but the playbook has no utcOffset` });
    for (const s of pb.steps) {
      if (s.route && !pb.routes[s.route])
        ctx.addIssue({ code: 'custom', message: `step ${s.id} names an unknown route ${s.route}` });
      if ((s.who === 'card-issuer' || s.who === 'bank') && s.deadline && s.when !== 'now')
        ctx.addIssue({ code: 'custom', message: `step ${s.id} stops a card: it must be when: now` });
    }
  });
export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookStep = z.infer<typeof playbookStepSchema>;
export type Expectation = z.infer<typeof expectationSchema>;
