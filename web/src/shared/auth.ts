/** Who may use which page, and the sign-in / sign-out flow shared by all pages. */
import { Api, ApiError } from './api.ts';
import { showLoginForm } from './login-form.ts';
import { pickLocale, setLocale } from './i18n.ts';
import type { Principal, Role, SessionResponse } from '../../../src/wire/auth.ts';

export type Page = 'index' | 'console' | 'supervisor' | 'centre' | 'analytics';

/** Counsellors work in the console; centre staff on the centre page; supervisors and admins on the dashboard. */
export function homeFor(role: Role): 'console.html' | 'supervisor.html' | 'centre.html' {
  if (role === 'counsellor') return 'console.html';
  if (role === 'centre') return 'centre.html';
  return 'supervisor.html';
}

/** Whether a role may stay on a page; the sign-in page sends everyone on. */
export function mayUse(page: Page, role: Role): boolean {
  if (page === 'console') return role === 'counsellor';
  if (page === 'supervisor' || page === 'analytics') return role === 'supervisor' || role === 'admin';
  if (page === 'centre') return role === 'centre';
  return false;
}

/** Picks the locale for the page (query `?lang=yue`, else the stored one, else zh-CN). */
export function initLocale(): void {
  const locale = pickLocale(location.search, storage()?.getItem('hotline.lang') ?? null);
  setLocale(locale);
  document.documentElement.lang = locale === 'yue' ? 'zh-HK' : 'zh-CN';
}

export function createApi(): Api {
  // Pages of earlier versions kept the token in sessionStorage; drop any left there.
  try {
    sessionStorage.removeItem('hotline.token');
  } catch {
    // storage disabled: nothing was kept either
  }
  return new Api();
}

/**
 * A non-secret "signed in on this browser" flag. The session cookie is HttpOnly, so without the
 * flag a fresh page could only learn that nobody is signed in from a 401 (a console error).
 */
const SIGNED_IN_HINT = 'hotline.signedIn';

function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

export function rememberSignedIn(on: boolean): void {
  if (on) storage()?.setItem(SIGNED_IN_HINT, '1');
  else storage()?.removeItem(SIGNED_IN_HINT);
}

async function currentUser(api: Api): Promise<Principal | null> {
  if (storage()?.getItem(SIGNED_IN_HINT) !== '1') return null;
  try {
    const res = await api.get<SessionResponse>('/api/auth/me');
    return res.user;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      rememberSignedIn(false);
      return null;
    }
    throw e;
  }
}

/**
 * Resolves with the signed-in user allowed on `page`, showing the sign-in form in `#login-view`
 * until someone signs in. A user who belongs on the other page is sent there (and the promise
 * never resolves).
 */
export async function ensureSignedIn(api: Api, page: Page): Promise<Principal> {
  let user = await currentUser(api);
  if (user === null) {
    user = await showLoginForm(api);
    rememberSignedIn(true);
  }
  if (page !== 'index' && mayUse(page, user.role)) return user;
  location.replace(homeFor(user.role));
  return new Promise<Principal>(() => undefined);
}

/**
 * When the session expires, asks to sign in again over the running page (calls and the
 * softphone carry on), then calls `after` so the page can re-fetch.
 */
export function onSessionLost(api: Api, after: () => void): void {
  let asking = false;
  api.onUnauthenticated = () => {
    if (asking) return;
    asking = true;
    rememberSignedIn(false);
    void showLoginForm(api, true).then(() => {
      asking = false;
      rememberSignedIn(true);
      after();
    });
  };
}

export async function signOut(api: Api): Promise<void> {
  rememberSignedIn(false);
  try {
    await api.logout();
  } finally {
    location.replace('index.html');
  }
}
