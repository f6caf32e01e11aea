/** The header's live-update indicator and the PBX-down banner, on both pages. */
import { byId, setText, show } from './dom.ts';
import { t } from './i18n.ts';

export function renderLive(live: boolean, pbxConnected: boolean | null): void {
  const liveEl = byId('live-status');
  setText(liveEl, live ? t('liveOpen') : t('liveReconnecting'));
  liveEl.dataset.tone = live ? 'ok' : 'bad';
  const pbx = byId('pbx-banner');
  show(pbx, pbxConnected === false);
  setText(pbx, t('pbxDown'));
}
