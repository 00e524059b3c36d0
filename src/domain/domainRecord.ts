/**
 * A command or event as the deciders see it: its record's short name (`PlaceOrder` for
 * `kes.orders.PlaceOrder`) and its fields exactly as the Avro record declares them.
 */
export interface DomainRecord<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * The name of an aggregate domain (`orders`): its topics are `<domain>.commands` and
 * `<domain>.events`, its Avro records `kes.<domain>.<Type>`. Lower case letters, digits and `_`,
 * starting with a letter (checkDomainName).
 */
export type DomainName = string;

/** Why a domain name cannot be used, or undefined when it can. */
export function checkDomainName(domain: string): string | undefined {
  return /^[a-z][a-z0-9_]*$/.test(domain)
    ? undefined
    : `domain ${JSON.stringify(domain)} must be lower case letters, digits and _, starting with a letter (an Avro namespace segment)`;
}

/** The full Avro name of a domain's record type: `recordName('orders', 'PlaceOrder')` is `kes.orders.PlaceOrder`. */
export function recordName(domain: DomainName, type: string): string {
  return `kes.${domain}.${type}`;
}

/**
 * `true` when `List` names every member of `Union`, otherwise the missing members, so that
 * `const _all: ListsEvery<Union, typeof LIST> = true` fails to compile naming what is missing.
 */
export type ListsEvery<Union extends string, List extends readonly string[]> = [
  Exclude<Union, List[number]>,
] extends [never]
  ? true
  : Exclude<Union, List[number]>;
