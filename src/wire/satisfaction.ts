/** Supervision: satisfaction survey answers per counsellor (supervisors and admins only). */

export interface SatisfactionRow {
  counsellorId: string;
  /** 1 满意 */
  satisfied: number;
  /** 2 基本满意 */
  basicallySatisfied: number;
  /** 3 不满意 */
  dissatisfied: number;
  total: number;
}

/** GET /api/supervision/satisfaction?from=&to= */
export interface SatisfactionResponse {
  from: string;
  to: string;
  counsellors: SatisfactionRow[];
}
