/**
 * The console's state holder and actions: API calls, softphone events and live events all end in
 * `set`, which re-renders from the pure view.
 */
import { ApiError, errorMessage, type Api } from '../shared/api.ts';
import { toast } from '../shared/dom.ts';
import { t } from '../shared/i18n.ts';
import type { CallbacksResponse } from '../../../src/wire/callbacks.ts';
import type { EscalateResponse, MyCall, MyCallResponse, TransferActionResponse, TransferRequest } from '../../../src/wire/calls.ts';
import type {
  AvailableCounsellor, AvailableCounsellorsResponse, CounsellorStateResponse, MyCounsellorResponse, StateChangeRequest,
} from '../../../src/wire/counsellors.ts';
import type { HotlineEvent } from '../../../src/wire/events.ts';
import { applyConsoleEvent, initialConsoleState, type ConsoleState, type PhoneState, type SipState, type StateAction } from './model.ts';
import type { Softphone } from './softphone.ts';

export type Colleague = AvailableCounsellor;

const CALL_RETRY_MS = 250;
const CALL_RETRIES = 20;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class ConsoleController {
  state: ConsoleState = initialConsoleState();
  phone: Softphone | null = null;
  private callGeneration = 0;

  constructor(
    private readonly api: Api,
    readonly myId: string,
    private readonly onChange: (s: ConsoleState) => void,
    private readonly onColleagues: (list: Colleague[]) => void,
  ) {}

  set(patch: Partial<ConsoleState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  applyEvent(ev: HotlineEvent): void {
    this.state = applyConsoleEvent(this.state, ev);
    this.onChange(this.state);
  }

  async loadMe(): Promise<void> {
    const r = await this.api.get<MyCounsellorResponse>('/api/counsellors/me');
    this.set({ me: r.counsellor, ...(typeof r.wrapUpMs === 'number' ? { wrapUpMs: r.wrapUpMs } : {}) });
  }

  async loadCall(): Promise<MyCall | null> {
    const generation = this.callGeneration;
    const r = await this.api.get<MyCallResponse>('/api/counsellors/me/call');
    if (generation === this.callGeneration) this.set({ call: r.call });
    return r.call;
  }

  /** The INVITE can arrive a moment before the service has the call on record: retry briefly. */
  async loadCallUntilPresent(): Promise<void> {
    for (let i = 0; i < CALL_RETRIES; i += 1) {
      if (this.state.phone === 'idle') return;
      try {
        if ((await this.loadCall()) !== null) return;
      } catch (e) {
        console.warn('call details not available yet', e);
      }
      await sleep(CALL_RETRY_MS);
    }
  }

  async loadCallbacks(): Promise<void> {
    const r = await this.api.get<CallbacksResponse>('/api/callbacks');
    this.set({ callbacks: r.callbacks });
  }

  /** The hotline rings this counsellor's phone first, then the caller: the number never reaches the page. */
  async dialCallback(jobId: string): Promise<void> {
    try {
      await this.api.post(`/api/callbacks/${encodeURIComponent(jobId)}/dial`, {});
      toast(t('dialCallbackRinging'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'callback-taken') toast(t('callbackTaken'), 'info');
      else report(e);
    }
    await this.loadCallbacks().catch(report);
  }

  async loadColleagues(): Promise<void> {
    const r = await this.api.get<AvailableCounsellorsResponse>('/api/counsellors/available');
    this.onColleagues(r.counsellors);
  }

  onSip(sip: SipState): void {
    this.set({ sip });
  }

  onPhone(phone: PhoneState): void {
    const was = this.state.phone;
    if (phone === was) return;
    if (phone === 'ringing' && was === 'idle') {
      this.callGeneration += 1;
      this.set({ phone, call: null, answeredAt: null, escalationPending: false });
      void this.loadCallUntilPresent();
      void this.loadMe().catch(report);
      return;
    }
    if (phone === 'connected') {
      this.set({ phone, answeredAt: Date.now() });
      void this.loadCallUntilPresent();
      void this.loadColleagues().catch(report);
      return;
    }
    this.set({ phone, ...(phone === 'idle' ? { escalationPending: false } : {}) });
    if (phone === 'idle') {
      void this.loadMe().catch(report);
      void this.loadCall().catch(report);
    }
  }

  async changeState(action: StateAction, reason?: string): Promise<void> {
    try {
      const r = await this.api.post<CounsellorStateResponse>('/api/counsellors/me/state', (reason ? { action, reason } : { action }) satisfies StateChangeRequest);
      this.set({ me: r.counsellor });
    } catch (e) {
      report(e);
    }
  }

  async answer(): Promise<void> {
    try {
      await this.phone?.answer();
    } catch (e) {
      const media = e instanceof Error && /getUserMedia|NotAllowed|NotFound|Permission/i.test(`${e.name} ${e.message}`);
      toast(media ? t('sipNoMedia') : t('requestFailed', { message: errorMessage(e) }), 'error');
    }
  }

  async decline(): Promise<void> {
    await this.phone?.decline().catch(report);
  }

  async hangup(): Promise<void> {
    await this.phone?.hangup().catch(report);
  }

  /** One click, no confirmation: the caller stays connected while 110 is dialled. */
  async escalate(): Promise<void> {
    const call = this.state.call;
    if (!call || this.state.escalationPending) return;
    this.set({ escalationPending: true });
    try {
      const r = await this.api.post<EscalateResponse>(`/api/calls/${encodeURIComponent(call.callId)}/escalate`);
      const current = this.state.call;
      if (current && current.callId === call.callId) {
        const escalation = current.escalation?.id === r.escalation.id ? current.escalation : r.escalation;
        this.set({ call: { ...current, escalation }, escalationPending: false });
      } else this.set({ escalationPending: false });
    } catch (e) {
      this.set({ escalationPending: false });
      report(e);
    }
  }

  async transfer(to: string, mode: 'warm' | 'blind'): Promise<void> {
    const call = this.state.call;
    if (!call || to === '') return;
    try {
      await this.api.post(`/api/calls/${encodeURIComponent(call.callId)}/transfer`, { to, mode } satisfies TransferRequest);
      toast(t('transferred'));
      await this.loadCall();
    } catch (e) {
      report(e);
    }
  }

  /** Warm transfer: hand the caller to the colleague consulted, or call the transfer off. */
  async endTransfer(action: 'complete' | 'cancel'): Promise<void> {
    const call = this.state.call;
    if (!call) return;
    try {
      await this.api.post<TransferActionResponse>(`/api/calls/${encodeURIComponent(call.callId)}/transfer/${action}`);
      await this.loadCall();
    } catch (e) {
      report(e);
    }
  }
}

function report(e: unknown): void {
  console.warn(e);
  toast(t('requestFailed', { message: errorMessage(e) }), 'error');
}
