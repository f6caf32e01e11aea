/** `centre`: staff of a local centre (config/centres.yaml `staff`), scoped to that centre's work orders. */
export type Role = 'counsellor' | 'supervisor' | 'admin' | 'centre';

/** Who is signed in. Counsellors carry their roster id; supervisors their team and level. */
export interface Principal {
  userId: string;
  name: string;
  role: Role;
  team: string;
  level: 'province' | 'city' | 'county';
  /** The centre a `centre` principal belongs to; absent for the other roles. */
  centreId?: string;
}

export interface Sessions {
  create(principal: Principal): Promise<string>;
  get(token: string): Promise<Principal | null>;
  destroy(token: string): Promise<void>;
  /** Writes back a session the store lost (it restarted without its data), under its old token. */
  restoreSession(token: string, principal: Principal): Promise<void>;
}

export interface AuditEntry {
  actor: string;
  role: Role | 'system';
  action: string;
  callId?: string;
  target?: string;
  data?: Record<string, unknown>;
}

/** Append-only log of monitoring, escalations and other sensitive actions. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  list(limit: number): Promise<Array<AuditEntry & { id: number; at: string }>>;
}
