import type { ErrorCode } from '../protocol/errorCodes.js';

/** One protocol a member can use, with its opaque metadata (a consumer's subscription). */
export interface MemberProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

/** What a JoinGroup is answered with. */
export interface JoinGroupResult {
  readonly errorCode: ErrorCode;
  readonly generationId: number;
  readonly protocolName: string;
  readonly leader: string;
  readonly memberId: string;
  /** The members and their metadata for the chosen protocol; only the leader gets them. */
  readonly members: readonly { memberId: string; metadata: Buffer }[];
}

export interface SyncGroupResult {
  readonly errorCode: ErrorCode;
  readonly assignment: Buffer;
}

const NO_BYTES = Buffer.alloc(0);

export function joinError(memberId: string, errorCode: ErrorCode): JoinGroupResult {
  return { errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}

/**
 * Own copies of the metadata: decoded requests point into the socket's buffers, which a member
 * would otherwise keep alive for as long as it stays in the group.
 */
export function copyProtocols(protocols: readonly MemberProtocol[]): MemberProtocol[] {
  return protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
}

export function syncResult(errorCode: ErrorCode, assignment: Buffer = NO_BYTES): SyncGroupResult {
  return { errorCode, assignment };
}

export interface MemberInit {
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
}

/**
 * A member of a group (Kafka's MemberMetadata): its settings, the protocols it supports in order
 * of preference, its current assignment, and the responses it is waiting for. A member waiting
 * for its JoinGroup or SyncGroup answer holds the function that delivers it.
 */
export class GroupMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  readonly protocolType: string;
  protocols: readonly MemberProtocol[];
  assignment: Buffer = NO_BYTES;
  /** Joined during the current rebalance and has not yet had a JoinGroup answer. */
  isNew = true;
  awaitingJoin: ((result: JoinGroupResult) => void) | undefined;
  awaitingSync: ((result: SyncGroupResult) => void) | undefined;
  /** Fires when the member has sent nothing for its session timeout. */
  sessionTimer: NodeJS.Timeout | undefined;

  constructor(init: MemberInit) {
    this.memberId = init.memberId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.protocolType = init.protocolType;
    this.protocols = copyProtocols(init.protocols);
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== undefined;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== undefined;
  }

  supports(protocolName: string): boolean {
    return this.protocols.some((p) => p.name === protocolName);
  }

  /** The metadata the member sent for a protocol. */
  metadataFor(protocolName: string): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? NO_BYTES;
  }

  /** Same protocols, in the same order, with the same metadata: a rejoin that changes nothing. */
  matches(protocols: readonly MemberProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every(
        (p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata),
      )
    );
  }

  /** The member's most preferred protocol among the candidates. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }

  /** Answers a parked JoinGroup, if there is one. */
  completeJoin(result: JoinGroupResult): boolean {
    const deliver = this.awaitingJoin;
    this.awaitingJoin = undefined;
    deliver?.(result);
    return deliver !== undefined;
  }

  /** Answers a parked SyncGroup, if there is one. */
  completeSync(result: SyncGroupResult): boolean {
    const deliver = this.awaitingSync;
    this.awaitingSync = undefined;
    deliver?.(result);
    return deliver !== undefined;
  }
}
