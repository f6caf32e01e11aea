/** The dashboard's 回访 card: open and recent follow-up calls, refreshed by their live events. */
import type { Api } from '../shared/api.ts';
import { byId, el, setText, syncRows } from '../shared/dom.ts';
import type { FollowUpsResponse } from '../../../src/wire/follow-ups.ts';
import { followUpRows, type FollowUpRow } from './follow-ups.ts';

export class FollowUpsPanel {
  private data: FollowUpsResponse = { open: [], recent: [] };

  constructor(private readonly api: Api) {}

  async start(): Promise<void> {
    await this.load();
    setInterval(() => void this.load().catch(() => undefined), 15_000);
  }

  /** Also called on each `follow-up` live event. */
  async load(): Promise<void> {
    this.data = await this.api.get<FollowUpsResponse>('/api/follow-ups');
    this.render();
  }

  private render(): void {
    const { open, recent } = followUpRows(this.data, Date.now());
    setText(byId('follow-ups-count'), String(open.length));
    const tr = (r: FollowUpRow) => el('tr', { 'data-follow-up-id': r.id, class: r.alerted ? 'alarm' : null },
      el('td', {}, r.caseId), el('td', {}, r.grade), el('td', {}, r.attempt), el('td', { 'data-tone': r.tone }, r.state), el('td', {}, r.when), el('td', {}, r.counsellor));
    syncRows(byId('follow-ups-open'), open, (r) => r.id, 'data-follow-up-id', tr);
    syncRows(byId('follow-ups-recent'), recent, (r) => r.id, 'data-follow-up-id', tr);
  }
}
