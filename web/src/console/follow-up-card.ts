/**
 * The follow-up call (回访) card: on the `ringing` event it fetches and shows the case while the
 * counsellor's phone rings (before the person is dialled); once connected it offers the outcome
 * buttons; a recorded outcome closes the card.
 */
import { errorMessage, type Api } from '../shared/api.ts';
import { byId, el, setText, show, toast } from '../shared/dom.ts';
import type { HotlineEvent } from '../../../src/wire/events.ts';
import type { FollowUpDetailResponse, FollowUpOutcomeRequest } from '../../../src/wire/follow-ups.ts';
import { followUpEventFor, followUpHeadline, followUpRows, initialFollowUpCard, OUTCOME_BUTTONS, type FollowUpCardState } from './follow-up-model.ts';

export class FollowUpCard {
  private state: FollowUpCardState = initialFollowUpCard();

  constructor(private readonly api: Api, private readonly myId: () => string) {}

  onEvent(ev: HotlineEvent): void {
    const mine = followUpEventFor(ev, this.myId());
    if (!mine) return;
    if (mine.change === 'ringing') void this.load(mine.id, false);
    else if (mine.change === 'connected') void this.load(mine.id, true);
    else if (mine.change === 'not-reached' && this.state.detail?.followUp.id === mine.id) this.close('当事人未接听，系统将按计划再次回访');
    else if (mine.change === 'given-back' && this.state.detail?.followUp.id === mine.id) this.close('未接听回访来电，系统稍后再安排');
  }

  private async load(id: string, connected: boolean): Promise<void> {
    try {
      const detail = await this.api.get<FollowUpDetailResponse>(`/api/follow-ups/${encodeURIComponent(id)}`);
      this.state = { detail, connected, saving: false };
    } catch (e) {
      console.warn('follow-up', e);
    }
    this.render();
  }

  private async record(body: FollowUpOutcomeRequest): Promise<void> {
    const d = this.state.detail;
    if (!d || this.state.saving) return;
    this.state = { ...this.state, saving: true };
    this.render();
    try {
      await this.api.post(`/api/follow-ups/${encodeURIComponent(d.followUp.id)}/outcome`, body);
      this.close('回访结果已保存');
    } catch (e) {
      this.state = { ...this.state, saving: false };
      this.render();
      toast(`保存失败：${errorMessage(e)}`, 'error');
    }
  }

  private close(message: string): void {
    this.state = initialFollowUpCard();
    this.render();
    toast(message, 'info');
  }

  private render(): void {
    const card = byId('follow-up-card');
    const s = this.state;
    show(card, s.detail !== null);
    if (!s.detail) return;
    setText(byId('follow-up-headline'), followUpHeadline(s) ?? '');
    byId('follow-up-info').replaceChildren(...followUpRows(s.detail).flatMap((r) => [
      el('dt', {}, r.label), el('dd', { ...(r.cls ? { class: r.cls } : {}), 'data-key': r.key }, r.value),
    ]));
    const note = byId<HTMLInputElement>('follow-up-note');
    byId('follow-up-outcomes').replaceChildren(...OUTCOME_BUTTONS.map((b) => {
      const button = el('button', { type: 'button', 'data-outcome': b.outcome, disabled: !s.connected || s.saving }, b.label);
      button.addEventListener('click', () => void this.record({
        outcome: b.outcome, ...(b.satisfied !== undefined ? { satisfied: b.satisfied } : {}), ...(note.value.trim() ? { note: note.value.trim() } : {}),
      }));
      return button;
    }));
  }
}
