import { config } from 'zod';

// Zod compiles fast parsers with `new Function`, which the strict CSP (no 'unsafe-eval') forbids:
// its probe alone reports a violation. Imported first by main.tsx, before any schema is used.
config({ jitless: true });
