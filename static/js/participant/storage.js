/**
 * What this tab remembers about one workshop, in sessionStorage only: it dies with the tab, and
 * quick exit clears it. Nothing here is written to localStorage, cookies or IndexedDB.
 */

/** Storage helpers for the workshop with this join code. */
export function tabMemory(code) {
  const prefix = `hearth.${code}.`;
  return {
    key: (name) => prefix + name,
    get(name) {
      try {
        return JSON.parse(sessionStorage.getItem(prefix + name));
      } catch {
        return null;
      }
    },
    set(name, value) {
      try {
        sessionStorage.setItem(prefix + name, JSON.stringify(value));
      } catch {
        // Private modes may refuse storage; the page still works, it just forgets on reload.
      }
    },
    forget() {
      try {
        Object.keys(sessionStorage)
          .filter((name) => name.startsWith(prefix))
          .forEach((name) => sessionStorage.removeItem(name));
      } catch {
        // Nothing stored, nothing to forget.
      }
    },
  };
}

/** Forget everything this tab stored, for every workshop (quick exit). */
export function forgetEverything() {
  try {
    sessionStorage.clear();
  } catch {
    // Storage was never available.
  }
}
