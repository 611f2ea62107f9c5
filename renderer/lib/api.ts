import type { AnyEvent, MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { appError, fail, ResultEnvelopeSchema, type Result } from '../../shared/errors';
import type { Transport } from './transport';

/** The typed client over a transport: one generic call path, no code per method. */
export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  onEvent(listener: (event: AnyEvent) => void): () => void;
}

/** Builds the client; any transport failure becomes a NETWORK Result, never a rejection. */
export function createApiClient(transport: Transport): ApiClient {
  return {
    async call(method, input) {
      let raw: unknown;
      try {
        raw = await transport.invoke(method, input);
      } catch {
        return fail(
          appError('NETWORK', 'Lost contact with the Causerie back end. Reconnecting…', true),
        );
      }
      const envelope = ResultEnvelopeSchema.safeParse(raw);
      if (!envelope.success) {
        return fail(appError('INTERNAL', 'The back end sent an unreadable answer.', false));
      }
      return envelope.data as Result<never>;
    },
    onEvent: (listener) => transport.onEvent(listener),
  };
}
