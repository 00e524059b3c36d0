/**
 * The check numbers an account has used, as sorted, disjoint, non-adjacent inclusive ranges:
 * checks are mostly written in sequence, so a long history keeps this short (the state is
 * snapshotted whole, and must not grow with every check).
 */
export type CheckNumberRanges = readonly (readonly [number, number])[];

export interface Account {
  readonly status: 'OPEN' | 'CLOSED';
  readonly accountId: string;
  readonly ownerId: string;
  /** Whole cents; never below `-overdraftLimit` after a withdrawal, check or transfer debit. */
  readonly balance: number;
  readonly overdraftLimit: number;
  readonly usedChecks: CheckNumberRanges;
  /**
   * Transfers debited from this account whose credit is not settled yet (TransferDebited, until
   * TransferSettled or TransferRefunded): the account cannot be closed while money may come back.
   */
  readonly transfersInFlight: readonly string[];
}

/** The state of an account aggregate: nothing before its AccountOpened. Plain JSON. */
export type AccountState = { readonly status: 'NONE' } | Account;

export function initialAccountState(): AccountState {
  return { status: 'NONE' };
}

/** Whether `checkNumber` is in the ranges. */
export function isCheckUsed(ranges: CheckNumberRanges, checkNumber: number): boolean {
  return ranges.some(([from, to]) => from <= checkNumber && checkNumber <= to);
}

/** The ranges with `checkNumber` added, merging it with its neighbours. */
export function withCheck(ranges: CheckNumberRanges, checkNumber: number): CheckNumberRanges {
  if (isCheckUsed(ranges, checkNumber)) return ranges;
  const merged: [number, number][] = [];
  let added: [number, number] = [checkNumber, checkNumber];
  for (const [from, to] of ranges) {
    if (to + 1 < added[0]) merged.push([from, to]);
    else if (added[1] + 1 < from) {
      merged.push(added);
      added = [from, to];
    } else added = [Math.min(from, added[0]), Math.max(to, added[1])];
  }
  merged.push(added);
  return merged;
}
