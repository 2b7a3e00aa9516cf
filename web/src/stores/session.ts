import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { type Account, ApiError, api, type LoginResponse } from '../api.ts';
import { menuFor, roleName } from '../roles.ts';

/** Who is logged in. The session itself is an httpOnly cookie the script never sees. */
export const useSessionStore = defineStore('session', () => {
  const account = ref<Account | null>(null);
  /** Whether /api/auth/me has been asked since the page loaded. */
  const checked = ref(false);
  let pending: Promise<Account | null> | null = null;

  const roles = computed(() => account.value?.roles ?? []);
  const roleNames = computed(() => roles.value.map(roleName));
  const menu = computed(() => menuFor(roles.value));

  /** Ask the server once who we are; a 401 means nobody is logged in. */
  function ensureLoaded(): Promise<Account | null> {
    if (checked.value) return Promise.resolve(account.value);
    pending ??= api
      .get<Account>('/api/auth/me', { expectUnauthenticated: true })
      .then(
        (me) => {
          account.value = me;
          return me;
        },
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 401) {
            account.value = null;
            return null;
          }
          throw error;
        },
      )
      .finally(() => {
        checked.value = true;
        pending = null;
      });
    return pending;
  }

  /** Ask again: the roles change when the trading centre accepts the account's market entity. */
  function refresh(): Promise<Account | null> {
    checked.value = false;
    return ensureLoaded();
  }

  async function login(username: string, password: string): Promise<Account> {
    const result = await api.post<LoginResponse>(
      '/api/auth/login',
      { username, password },
      { expectUnauthenticated: true },
    );
    account.value = result.account;
    checked.value = true;
    return result.account;
  }

  async function logout(): Promise<void> {
    try {
      await api.post<void>('/api/auth/logout', undefined, { expectUnauthenticated: true });
    } finally {
      forget();
    }
  }

  /** The session ended on the server (expired, revoked, 强制下线). */
  function forget(): void {
    account.value = null;
    checked.value = true;
  }

  return { account, checked, roles, roleNames, menu, ensureLoaded, refresh, login, logout, forget };
});
