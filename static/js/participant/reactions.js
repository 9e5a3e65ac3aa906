/**
 * A row of reaction buttons (the set comes from `welcome.reactions`); each tap is counted,
 * never attributed, on the projector.
 *
 *   const row = createReactions(["💛", "🙏"], (emoji) => Promise<ack>);
 */
import { h } from "../common/dom.js";

const NAMES = { "💛": "a heart", "🙏": "thanks", "👍": "a thumbs up", "🤔": "thinking" };

export function createReactions(emojis, react) {
  const root = h(
    "div",
    { class: "reactions", role: "group", "aria-label": "Send a reaction" },
    emojis.map((emoji) =>
      h(
        "button",
        {
          type: "button",
          class: "quiet reaction",
          "aria-label": `Send ${NAMES[emoji] ?? emoji}`,
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
