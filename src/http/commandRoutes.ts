import type { FastifyInstance } from 'fastify';
import { CommandInputError } from '../commands/commandSender.js';
import type { CommandResult } from '../commands/commandResult.js';
import { IDEMPOTENCY_KEY_MAX_LENGTH, idempotencyKeyProblem } from '../commands/idRules.js';
import { formatPosition } from '../views/sourcePosition.js';
import type { ApiContext } from './apiContext.js';
import { ApiError } from './apiErrors.js';
import { isUnavailable } from '../kafka/kafkaErrors.js';
import { avroJsonSchema } from './avroJsonSchema.js';
import { requestSpan } from './tracingHooks.js';
import { traceHeadersOf } from '../tracing/recordTracing.js';
import { errorResponses } from './errorSchema.js';

/**
 * POST /commands/{CommandType}: the command's fields as JSON; `Idempotency-Key` becomes the
 * command id (sending it again answers with the first result), `If-Match: "<version>"` the
 * expected version. Waits for the result (bounded): 200 accepted, 409 version conflict, 422
 * rejected, 500 failed, 202 still pending.
 */
export function commandRoutes(api: FastifyInstance, context: ApiContext): void {
  for (const type of context.publicCommands) {
    const text = context.sender.schemaText(type);
    if (!text) throw new Error(`no schema for ${type}`);
    const avro = JSON.parse(text) as { doc?: string };
    api.post(
      `/commands/${type}`,
      {
        attachValidation: true, // documentation only: the Avro schema validates, naming the field
        schema: {
          tags: ['commands'],
          summary: avro.doc ?? type,
          body: avroJsonSchema(JSON.parse(text)),
          headers: {
            type: 'object',
            properties: {
              'idempotency-key': {
                type: 'string',
                description: `Becomes the command id (1–${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters)`,
              },
              'if-match': { type: 'string', description: 'The expected version of the aggregate, e.g. "3"' },
            },
          },
          response: {
            200: acceptedSchema,
            202: pendingSchema,
            ...errorResponses(400, 404, 409, 413, 415, 422, 500, 503),
          },
        },
      },
      (request, reply) =>
        sendCommand(context, type, request.body, request.headers, traceHeadersOf(requestSpan(request))).then(
          ([status, body]) => reply.code(status).send(body),
        ),
    );
  }
  api.post('/commands/:type', { schema: { hide: true } }, async (request) => {
    const { type } = request.params as { type: string };
    throw new ApiError('UNKNOWN_COMMAND', `no public command named ${type}`, {
      command: type,
      commands: [...context.publicCommands],
    });
  });
}

async function sendCommand(
  context: ApiContext,
  type: string,
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
  /** The request's trace context, carried on by the command record. */
  trace: Record<string, string>,
): Promise<[200 | 202, unknown]> {
  const running = context.running;
  if (!running) throw new ApiError('NOT_READY', 'kes is starting');
  const commandId = header(headers, 'idempotency-key');
  const keyProblem = commandId === undefined ? undefined : idempotencyKeyProblem(commandId);
  if (keyProblem) throw new ApiError('INVALID_REQUEST', keyProblem, { field: 'Idempotency-Key' });
  const ifMatch = header(headers, 'if-match');
  let expectedVersion: number | undefined;
  if (ifMatch !== undefined) {
    const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(ifMatch.trim());
    if (!match) {
      throw new ApiError('INVALID_REQUEST', 'If-Match must be a version, e.g. "3"', { field: 'If-Match' });
    }
    expectedVersion = Number(match[1]);
  }
  let prepared;
  try {
    prepared = await context.sender.prepare({
      type,
      data: body,
      ...(commandId !== undefined ? { commandId } : {}),
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      source: '/kes/http',
    });
  } catch (err) {
    if (err instanceof CommandInputError) {
      throw new ApiError(err.code, err.message, err.field !== undefined ? { field: err.field } : {});
    }
    throw err;
  }
  const started = performance.now();
  const outcome = running.waiter.expect(prepared.commandId, context.limits.commandTimeoutMs);
  const { record } = prepared;
  try {
    await running.commands.send(record.topic, {
      key: record.key,
      value: record.value,
      headers: { ...record.headers, ...trace },
    });
  } catch (err) {
    // A broker lost, a leader moving, a timeout, the queue full: the command was not written, or
    // is not known to be, and a retry with its Idempotency-Key is safe. Anything else is a bug.
    if (!isUnavailable(err)) throw err;
    throw new ApiError('UNAVAILABLE', `Kafka did not take the command: ${(err as Error).message}`, {
      commandId: prepared.commandId,
    });
  }
  const result = await outcome;
  context.metrics.commandDuration.observe(
    { type, status: result?.status ?? 'PENDING' },
    (performance.now() - started) / 1000,
  );
  if (!result) {
    return [
      202,
      {
        commandId: prepared.commandId,
        aggregateId: prepared.aggregateId,
        status: 'PENDING',
        message:
          'the command is accepted for processing; send it again with the same Idempotency-Key for its result',
      },
    ];
  }
  return answer(result);
}

function answer(result: CommandResult): [200, unknown] {
  const base = { commandId: result.commandId, aggregateId: result.aggregateId, version: result.version };
  switch (result.status) {
    case 'ACCEPTED':
      return [
        200,
        {
          ...base,
          events: result.events,
          position: result.position ? formatPosition(result.position) : null,
        },
      ];
    case 'CONFLICT':
      throw new ApiError('VERSION_CONFLICT', result.rejection?.message ?? 'version conflict', base);
    case 'REJECTED':
      throw new ApiError('COMMAND_REJECTED', result.rejection?.message ?? 'rejected', {
        ...base,
        rejection: result.rejection,
      });
    default:
      throw new ApiError('COMMAND_FAILED', result.rejection?.message ?? 'the command failed', {
        ...base,
        rejection: result.rejection,
      });
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const acceptedSchema = {
  description: 'Accepted: the events appended, and the position to pass as `after` to read your write',
  type: 'object',
  properties: {
    commandId: { type: 'string' },
    aggregateId: { type: 'string' },
    version: { type: 'integer' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: { type: { type: 'string' }, id: { type: 'string' }, sequence: { type: 'integer' } },
      },
    },
    position: {
      type: 'string',
      nullable: true,
      description: '<topic>:<partition>:<offset> of the last event',
    },
  },
};

const pendingSchema = {
  description: 'The result did not come within the wait; the command is still processed',
  type: 'object',
  properties: {
    commandId: { type: 'string' },
    aggregateId: { type: 'string' },
    status: { type: 'string' },
    message: { type: 'string' },
  },
};
