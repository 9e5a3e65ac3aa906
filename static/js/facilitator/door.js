/**
 * The control room's "Room" box: whether new people may join (Lock / Unlock, shortcut L), how
 * many identities have joined against how many phones are connected, how many joins the lock
 * turned away, and the facilitator's optional head count, with a plain warning when more have
 * joined than that (docs/privacy.md explains why this matters for k).
 */
import { formatNumber, gettext, ngettext } from "../common/i18n.js";

export function createDoor({ root, badge, stateText, counts, turned, toggle, form, input, warning }, { send, toast }) {
  let room = null;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    const count = text === "" ? null : Number(text);
    const ack = await send({ action: "head_count", count });
    if (!ack) return;
    if (!ack.ok) {
      toast.show(ack.error?.message ?? gettext("That head count did not work. Please try again."), { tone: "error" });
      input.focus();
      return;
    }
    toast.show(count === null ? gettext("Head count cleared.") : gettext("Head count set to %(count)s.", { count: formatNumber(count) }));
  });

  return {
    update(control) {
      room = control.room;
      const { locked, head_count: headCount, identities, turned_away: turnedAway } = room;
      root.dataset.locked = String(locked);
      badge.hidden = !locked || control.phase === "ended";
      stateText.textContent = locked ? gettext("Locked to new people") : gettext("Open to new people");
      toggle.dataset.action = locked ? "unlock" : "lock";
      toggle.textContent = locked ? gettext("Unlock the room") : gettext("Lock the room");
      toggle.hidden = control.phase === "ended";
      form.hidden = control.phase === "ended";
      const joined = ngettext("%(num)s joined", "%(num)s joined", identities);
      const connected = ngettext("%(num)s connected now", "%(num)s connected now", control.connected);
      counts.textContent = `${joined} · ${connected}`;
      turned.hidden = !turnedAway;
      turned.textContent = ngettext("%(num)s join turned away while locked", "%(num)s joins turned away while locked", turnedAway);
      // Never overwrite what the facilitator is typing.
      if (document.activeElement !== input) input.value = headCount ?? "";
      const over = headCount !== null && identities > headCount;
      warning.hidden = !over || control.phase === "ended";
      if (over) {
        const said = ngettext(
          "%(num)s person has joined, but you counted %(count)s in the room.",
          "%(num)s people have joined, but you counted %(count)s in the room.",
          identities,
          { count: formatNumber(headCount) },
        );
        const why = gettext("Someone may have joined twice or from outside.");
        const next = locked ? gettext("The room is locked, so nobody else can join.") : gettext("Consider locking the room (L).");
        warning.textContent = `${said} ${why} ${next}`;
      }
    },

    /** Lock or unlock, as the button would (the L shortcut). */
    press() {
      if (room && !toggle.hidden && !toggle.disabled) toggle.click();
    },

    /** The toast to show after a lock or unlock went through. */
    confirmation(action) {
      return action === "lock"
        ? gettext("Room locked. New people can't join; everyone already here can reconnect.")
        : gettext("Room unlocked. New people can join again.");
    },
  };
}
