/**
 * The case form card of the console: opens when a call is answered, stays through wrap-up until
 * saved. Every change is kept as a draft on the service (a second later), so a closed page or a
 * timed-out wrap-up loses nothing; saving sends the form once (an idempotency key per form, so a
 * double click or a retry makes one case and one order).
 */
import { ApiError, errorMessage, type Api } from '../shared/api.ts';
import { byId, el, setText, show } from '../shared/dom.ts';
import { gradeText } from '../shared/work-orders.ts';
import type {
  CallCaseResponse, CaseFormInvalidDetails, CaseSettingsResponse, DraftResponse, RepeatCallerResponse, SubmitCaseResponse,
} from '../../../src/wire/cases.ts';
import {
  categoryGroups, draftFromState, fieldErrorText, gradeChoices, orderForced, repeatCallerText, stateFromCase, type CaseFormState,
} from './case-form-model.ts';

const DRAFT_DELAY_MS = 1000;

export class CaseFormCard {
  private settings: CaseSettingsResponse | null = null;
  private callId: string | null = null;
  private state: CaseFormState | null = null;
  private idempotencyKey = '';
  private draftTimer: ReturnType<typeof setTimeout> | null = null;
  private saved = false;
  /** A form is being loaded (the page renders every second: one load at a time). */
  opening = false;

  constructor(private readonly api: Api, private readonly toast: (text: string) => void) {}

  get openCallId(): string | null {
    return this.callId;
  }

  /** True once the form of the open call was saved (wrap-up may end). */
  get isSaved(): boolean {
    return this.saved;
  }

  /** Loads and shows the form of `callId`; a failed load is tried again at the next render. */
  async open(callId: string): Promise<void> {
    if (this.callId === callId || this.opening) return;
    this.opening = true;
    try {
      await this.flushDraft();
      this.settings ??= await this.api.get<CaseSettingsResponse>('/api/cases/settings');
      const [current, repeat] = await Promise.all([
        this.api.get<CallCaseResponse>(`/api/cases/by-call/${encodeURIComponent(callId)}`),
        this.api.get<RepeatCallerResponse>(`/api/cases/by-call/${encodeURIComponent(callId)}/repeat-caller`).catch(() => null),
      ]);
      this.callId = callId;
      this.saved = false;
      this.idempotencyKey = crypto.randomUUID();
      this.state = stateFromCase(current.case, current.suggestedGrade);
      this.build(current, repeat);
      show(byId('case-card'), true);
    } finally {
      this.opening = false;
    }
  }

  private build(current: CallCaseResponse, repeat: RepeatCallerResponse | null): void {
    const settings = this.settings;
    const s = this.state;
    if (!settings || !s) return;
    const repeatText = repeat ? repeatCallerText(repeat, settings) : null;
    setText(byId('case-repeat'), repeatText ?? '');
    show(byId('case-repeat'), repeatText !== null);

    const cats = byId('case-categories');
    cats.replaceChildren(...categoryGroups(settings).map((g) => el('fieldset', { class: 'case-group' },
      el('legend', {}, g.label),
      ...g.options.map((o) => el('label', { class: 'inline' },
        el('input', { type: 'checkbox', name: 'case-category', value: o.code, checked: s.categories.includes(o.code) }), o.label)))));

    const grade = byId<HTMLSelectElement>('case-grade');
    grade.replaceChildren(...gradeChoices(current.gradeFloor).map((g) =>
      el('option', { value: g, selected: s.grade === g }, gradeText(g, settings))));
    setText(byId('case-grade-hint'), current.gradeFloor < 4 ? `本次通话不能低于${gradeText(current.gradeFloor)}` : '');

    const city = byId<HTMLSelectElement>('case-city');
    city.replaceChildren(el('option', { value: '' }, '未说明'), ...Object.keys(settings.areas).map((c) => el('option', { value: c, selected: s.city === c }, c)));
    this.fillCounties();
    byId<HTMLTextAreaElement>('case-summary').value = s.summary;
    byId<HTMLTextAreaElement>('case-summary').maxLength = settings.summaryMaxLength;
    byId<HTMLInputElement>('case-follow-up').checked = s.followUpCall;
    byId<HTMLInputElement>('case-centre-contact').checked = s.centreContact;
    byId<HTMLInputElement>('case-order').checked = s.orderRequested;
    this.syncOrderBox();
    setText(byId('case-status'), current.case ? '已恢复草稿' : '');
    byId('case-errors').replaceChildren();
    byId<HTMLButtonElement>('case-save').disabled = false;
  }

  private fillCounties(): void {
    const s = this.state;
    const counties = (s?.city && this.settings?.areas[s.city]) || [];
    const county = byId<HTMLSelectElement>('case-county');
    county.replaceChildren(el('option', { value: '' }, '—'), ...counties.map((c) => el('option', { value: c, selected: s?.county === c }, c)));
    county.disabled = counties.length === 0;
  }

  private syncOrderBox(): void {
    const forced = this.state !== null && this.settings !== null && orderForced(this.state.grade, this.settings);
    const box = byId<HTMLInputElement>('case-order');
    box.disabled = forced;
    if (forced) box.checked = true;
    setText(byId('case-order-hint'), forced ? '该等级自动生成工单' : '');
  }

  /** Reads the inputs into the state and schedules a draft save. */
  onInput(): void {
    if (!this.state || this.saved) return;
    const checked = Array.from(document.querySelectorAll<HTMLInputElement>('input[name="case-category"]:checked')).map((i) => i.value);
    const city = byId<HTMLSelectElement>('case-city').value;
    const cityChanged = city !== this.state.city;
    this.state = {
      categories: checked,
      grade: Number(byId<HTMLSelectElement>('case-grade').value) as CaseFormState['grade'],
      summary: byId<HTMLTextAreaElement>('case-summary').value,
      city,
      county: cityChanged ? '' : byId<HTMLSelectElement>('case-county').value,
      followUpCall: byId<HTMLInputElement>('case-follow-up').checked,
      centreContact: byId<HTMLInputElement>('case-centre-contact').checked,
      orderRequested: byId<HTMLInputElement>('case-order').checked,
    };
    if (cityChanged) this.fillCounties();
    this.syncOrderBox();
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => void this.flushDraft(), DRAFT_DELAY_MS);
  }

  private async flushDraft(): Promise<void> {
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.draftTimer = null;
    const { callId, state } = this;
    if (!callId || !state || this.saved) return;
    try {
      await this.api.put<DraftResponse>(`/api/cases/by-call/${encodeURIComponent(callId)}/draft`, draftFromState(state));
      setText(byId('case-status'), `草稿已保存 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })}`);
    } catch (e) {
      setText(byId('case-status'), `草稿未保存：${errorMessage(e)}`);
    }
  }

  async submit(): Promise<void> {
    const { callId, state } = this;
    if (!callId || !state || this.saved) return;
    if (this.draftTimer) clearTimeout(this.draftTimer);
    const button = byId<HTMLButtonElement>('case-save');
    button.disabled = true;
    try {
      const res = await this.api.post<SubmitCaseResponse>(`/api/cases/by-call/${encodeURIComponent(callId)}/submit`, {
        idempotencyKey: this.idempotencyKey, form: draftFromState(state),
      });
      this.saved = true;
      byId('case-errors').replaceChildren();
      const order = res.order ? `，已生成工单 ${res.order.id}${res.order.proposedCentreId ? '（待派单）' : ''}` : '';
      setText(byId('case-status'), `个案已保存${order}`);
      this.toast(`个案已保存${order}`);
    } catch (e) {
      button.disabled = false;
      const details = e instanceof ApiError && e.code === 'case-form-invalid' ? (e.details as CaseFormInvalidDetails | undefined) : undefined;
      byId('case-errors').replaceChildren(...(details?.errors ?? []).map((x) => el('li', {}, fieldErrorText(x))));
      setText(byId('case-status'), `未保存：${errorMessage(e)}`);
    }
  }

  /** The next call replaces the form; an unsaved one was kept as a draft. */
  async close(): Promise<void> {
    await this.flushDraft();
    this.callId = null;
    this.state = null;
    show(byId('case-card'), false);
  }
}
