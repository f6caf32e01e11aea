/**
 * Supervisor monitoring modes and the audio directions they need. A snoop on the counsellor's
 * channel: 'spy both' hears the caller and the counsellor; 'whisper out' speaks into the
 * counsellor's ear only. Barge joins the call bridge itself, so everyone hears everyone.
 */
export type MonitorMode = 'listen' | 'whisper' | 'barge';

export interface MonitorPlan {
  /** null: no snoop, join the call's bridge directly. */
  snoop: { spy: 'both'; whisper: 'none' | 'out' } | null;
}

export function planMonitor(mode: MonitorMode): MonitorPlan {
  switch (mode) {
    case 'listen':
      return { snoop: { spy: 'both', whisper: 'none' } };
    case 'whisper':
      return { snoop: { spy: 'both', whisper: 'out' } };
    case 'barge':
      return { snoop: null };
  }
}
