/** Counsellors: the console's own state and SIP account, the supervisor's list, colleagues. */
import type { CounsellorSnapshot } from '../domain/routing/types.ts';

export type { CounsellorSnapshot, CounsellorStatus } from '../domain/routing/types.ts';

/** GET /api/counsellors/me. */
export interface MyCounsellorResponse {
  counsellor: CounsellorSnapshot;
  wrapUpMs: number;
}

/** POST /api/counsellors/me/state and /api/counsellors/{id}/state. */
export interface CounsellorStateResponse {
  counsellor: CounsellorSnapshot;
}

/** POST /api/counsellors/me/state and /api/counsellors/{id}/state. `reason` is for pauses. */
export interface StateChangeRequest {
  action: 'login' | 'logout' | 'pause' | 'resume' | 'wrap-up-done';
  reason?: string;
}

/** The call a counsellor is on, as the supervisor's list shows it. */
export interface CurrentCall {
  callId: string;
  line: string;
  need: string | null;
}

/** One row of GET /api/counsellors: the live state without the SIP endpoint. */
export type CounsellorWithCall = Omit<CounsellorSnapshot, 'endpoint'> & { currentCall: CurrentCall | null };

export interface CounsellorListResponse {
  counsellors: CounsellorWithCall[];
}

/** A colleague free to take a transfer: GET /api/counsellors/available. */
export type AvailableCounsellor = Pick<CounsellorSnapshot, 'id' | 'name' | 'skills'>;

export interface AvailableCounsellorsResponse {
  counsellors: AvailableCounsellor[];
}

/** The browser softphone's account: GET /api/console/sip. */
export interface SipConfig {
  wsServer: string;
  aor: string;
  username: string;
  /** Absent when the secrets file has no password for this SIP user. */
  password?: string;
  displayName: string;
}
