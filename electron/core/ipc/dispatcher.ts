import { z } from 'zod';
import {
  isMethodName,
  methods,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '../../../shared/contract';
import { appError, fail, ok, type Result } from '../../../shared/errors';
import { toAppError } from '../coreError';
import type { Logger } from '../logger';

/** Who is calling: one id per connected page (an Electron window or a browser tab). */
export interface CallContext {
  clientId: string;
}

/** One handler per contract method; each receives input that has already been validated. */
export type HandlerTable = {
  [M in MethodName]: (
    input: MethodInput<M>,
    context: CallContext,
  ) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

/** Calls a contract method by name with untrusted input; never throws. */
export type Dispatch = (
  method: unknown,
  input: unknown,
  context: CallContext,
) => Promise<Result<unknown>>;

const MAX_NAME_IN_MESSAGE = 80;

/**
 * Registers every handler in one place: refuse unknown methods, parse the input, call the
 * handler, and turn whatever happens into a Result. No exception crosses this line.
 */
export function createDispatcher(handlers: HandlerTable, logger: Logger): Dispatch {
  return async (method, input, context) => {
    if (!isMethodName(method)) {
      const shown =
        typeof method === 'string' ? method.slice(0, MAX_NAME_IN_MESSAGE) : typeof method;
      return fail(appError('VALIDATION', `Unknown method "${shown}".`, false));
    }
    const parsed = methods[method].input.safeParse(input);
    if (!parsed.success) {
      return fail(
        appError('VALIDATION', `Invalid input for ${method}: ${summarise(parsed.error)}`, false),
      );
    }
    try {
      const handler = handlers[method] as (input: unknown, context: CallContext) => unknown; // a value or a promise of one
      return ok(await handler(parsed.data, context));
    } catch (error) {
      const data = toAppError(error);
      if (data.code === 'INTERNAL') logger.error('handler.failed', { method, error });
      return fail(data);
    }
  };
}

/** Bounds what a malformed input (user data) can put into a message. */
const MAX_SUMMARY_CHARS = 400;

/** Zod's own wording for the first few issues, on one line and bounded: it goes into a message. */
function summarise(error: z.ZodError): string {
  const text = z.prettifyError(new z.ZodError(error.issues.slice(0, 3))).replace(/\s*\n\s*/g, ' ');
  return text.length > MAX_SUMMARY_CHARS ? `${text.slice(0, MAX_SUMMARY_CHARS)}…` : text;
}
