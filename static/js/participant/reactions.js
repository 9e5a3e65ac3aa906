/**
 * A row of reaction buttons (the set comes from `welcome.reactions`); each tap is counted,
 * never attributed, on the projector.
 *
 *   const row = createReactions(["💛", "🙏"], (emoji) => Promise<ack>);
 */
import { h } from "../common/dom.js";
import { gettext } from "../common/i18n.js";

// The button's name says what the emoji means ("Send a heart"), in the page's language.
const NAMES = {
  "💛": () => gettext("Send a heart"),
  "🙏": () => gettext("Send thanks"),
  "👍": () => gettext("Send a thumbs up"),
  "🤔": () => gettext("Send thinking"),
};

export function createReactions(emojis, react) {
  const root = h(
    "div",
    { class: "reactions", role: "group", "aria-label": gettext("Send a reaction") },
    emojis.map((emoji) =>
      h(
        "button",
        {
          type: "button",
          class: "quiet reaction",
          "aria-label": NAMES[emoji]?.() ?? gettext("Send %(emoji)s", { emoji }),
          onclick: (event) => send(event.currentTarget, emoji),
        },
        emoji,
      ),
    ),
  );

  async function send(button, emoji) {
    const ack = await react(emoji);
    // A brief glow says it went; a refusal (usually too many at once) just stays quiet.
    if (!ack?.ok) return;
    button.classList.remove("sent");
    requestAnimationFrame(() => button.classList.add("sent"));
  }

  return root;
}
