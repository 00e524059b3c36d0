import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avsc from 'avsc';
import type { Message } from 'kafkajs';
import { cloudEventHeaders } from '../../src/commands/cloudEvents.js';
import { encodeWire } from '../../src/serde/wireFormat.js';

/**
 * Another service that writes `OpenAccount` commands straight to `accounts.commands` with a
 * newer, compatible version of the schema (one optional field more), which it registers first:
 * a schema id kes has never seen, which kes must fetch from the registry to read them.
 */
export async function anotherService(registryUrl: string) {
  const schema = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../../schemas/accounts/OpenAccount.avsc'), 'utf8'),
  ) as { fields: unknown[] };
  schema.fields.push({ name: 'branch', type: ['null', 'string'], default: null });
  const { id } = await new SchemaRegistry({ host: registryUrl }).register(
    { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
    {
      subject: 'accounts.commands-kes.accounts.OpenAccount',
      compatibility: COMPATIBILITY.BACKWARD_TRANSITIVE,
    },
  );
  const writer = avsc.Type.forSchema(schema as avsc.Schema);
  return {
    schemaId: id,
    /** An OpenAccount command record, keyed by its account id. */
    openAccount(commandId: string, accountId: string): Message {
      const data = { accountId, ownerId: 'owner', initialDeposit: 100, overdraftLimit: 0, branch: 'north' };
      return {
        key: accountId,
        value: encodeWire(id, writer.toBuffer(data)),
        headers: cloudEventHeaders({
          id: commandId,
          type: 'kes.accounts.OpenAccount',
          source: '/another-service',
          subject: accountId,
          time: Date.now(),
          correlationId: commandId,
        }),
      };
    },
  };
}
