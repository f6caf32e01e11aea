/**
 * The sign-in form, built into `#login-view` on every page (ids `#login-username`,
 * `#login-password`, `#login-submit`, `#login-error`). `#app` stays hidden until sign-in.
 */
import { ApiError, type Api } from './api.ts';
import { byId, el, show } from './dom.ts';
import { t } from './i18n.ts';
import type { Principal } from '../../../src/wire/auth.ts';

/**
 * `keepApp` leaves the page usable under the form (a session that expired mid-call must not hide
 * the hang-up button).
 */
export function showLoginForm(api: Api, keepApp = false): Promise<Principal> {
  const view = byId('login-view');
  const app = document.getElementById('app');
  if (app && !keepApp) show(app, false);
  const username = el('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true });
  const password = el('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = el('button', { id: 'login-submit', type: 'submit', class: 'primary' }, t('signIn'));
  const error = el('p', { id: 'login-error', class: 'error', role: 'alert', hidden: true });
  const form = el(
    'form',
    { class: 'login-form', novalidate: true },
    el('h2', {}, t('loginTitle')),
    el('label', { for: 'login-username' }, t('username')),
    username,
    el('label', { for: 'login-password' }, t('password')),
    password,
    submit,
    error,
  );
  view.replaceChildren(form);
  show(view, true);
  username.focus();

  return new Promise<Principal>((resolve) => {
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (username.value.trim() === '' || password.value === '') return;
      submit.disabled = true;
      submit.textContent = t('signingIn');
      show(error, false);
      api.login(username.value.trim(), password.value).then(
        (user) => {
          show(view, false);
          view.replaceChildren();
          if (app) show(app, true);
          resolve(user);
        },
        (err: unknown) => {
          error.textContent = !(err instanceof ApiError) || err.status >= 500 ? t('networkError') : err.code === 'too-many-attempts' ? t('tooManyAttempts') : t('loginFailed');
          show(error, true);
          submit.disabled = false;
          submit.textContent = t('signIn');
          password.select();
        },
      );
    });
  });
}
