/** Entry of index.html: sign in, then go to the page for the role. */
import { createApi, ensureSignedIn, initLocale } from './auth.ts';
import { byId, setText } from './dom.ts';
import { t } from './i18n.ts';

initLocale();
setText(byId('page-title'), t('appTitle'));
ensureSignedIn(createApi(), 'index').catch((e: unknown) => {
  console.error('sign-in page failed', e);
  setText(byId('login-view'), t('networkError'));
});
