export { CSP, DEFAULT_MAX_BODY, createApp, type AppOptions } from './app.ts';
export { PortError, startServer, type RunningServer, type ServerOptions } from './server.ts';
