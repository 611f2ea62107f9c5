import { z } from 'zod';

// Imported first by main.tsx, before any module that defines a schema. Zod compiles object
// parsers with `new Function` unless told not to, and probes for it once with a caught
// `new Function('')`; the page's CSP (script-src 'self', no 'unsafe-eval') refuses that probe
// and reports a securitypolicyviolation even though zod swallows the error. Jitless zod never
// probes and parses with its interpreter, which is fast enough for IPC payloads.
z.config({ jitless: true });
