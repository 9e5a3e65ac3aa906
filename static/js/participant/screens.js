/**
 * The phone's screens between activities: connecting, lobby, waiting, ended, and problems.
 * Each returns { root, heading() } like an activity view, so the app can focus or announce it.
 */
import { resourceItems } from "./breaks.js";
import { h } from "../common/dom.js";
import { gettext, planText } from "../common/i18n.js";

function screen(className, title, ...body) {
  const heading = h("h1", { tabindex: "-1" }, title);
  return { root: h("section", { class: `card screen ${className}` }, heading, ...body), heading: () => heading };
}

export function connectingScreen() {
  return screen("connecting", gettext("Joining…"), h("p", { class: "muted" }, gettext("Connecting to the session.")));
}

export function lobbyScreen(title) {
  return screen(
    "lobby",
    gettext("You're in."),
    h("p", {}, gettext("Waiting for the facilitator to start.")),
    title ? h("p", { class: "workshop-title", ...planText() }, title) : null,
    h("p", { class: "muted" }, gettext("Keep this page open. Questions appear here by themselves, and you can pass on any of them.")),
  );
}

export function waitingScreen() {
  return screen("waiting", gettext("Take a breath."), h("p", {}, gettext("The next part will appear here in a moment.")));
}

/**
 * The end, with the workshop's support options when the state carried them. `setSummary(url)`
 * shows the take-home page's link once the facilitator publishes it (null hides it again).
 */
export function endedScreen(resources) {
  const items = resourceItems(resources);
  const link = h("a", { class: "button", href: "#" }, gettext("Open the take-home page"));
  const takeHome = h(
    "div",
    { class: "take-home-link", hidden: true },
    h("p", {}, gettext("The facilitator has shared a take-home page with what the group saw today.")),
    h("p", {}, link),
  );
  const view = screen(
    "ended",
    gettext("Thank you for taking part."),
    h("p", {}, gettext("This session has ended. You can close this tab.")),
    takeHome,
    h(
      "p",
      { class: "muted" },
      gettext("If anything today stirred up difficult feelings, it can help to talk with the facilitator or someone you trust."),
    ),
    items.length ? h("h2", { class: "results-title" }, gettext("Support")) : null,
    items.length ? h("ul", { class: "resources" }, items) : null,
  );
  view.setSummary = (url) => {
    takeHome.hidden = !url;
    if (url) link.href = inPageLanguage(url);
  };
  return view;
}

/** A link to another Hearth page that keeps the language this phone chose (`?lang=`). */
function inPageLanguage(url) {
  const chosen = new URLSearchParams(location.search).get("lang");
  if (!chosen) return url;
  const target = new URL(url, location.href);
  target.searchParams.set("lang", chosen);
  return target.href;
}

/** The room was locked before this phone joined: say so calmly, and offer to try again. */
export function lockedScreen(onRetry) {
  return screen(
    "locked-screen",
    gettext("This session is closed to new people."),
    h("p", {}, gettext("Ask the facilitator.")),
    h("p", { class: "muted" }, gettext("If they open it again, you can join from here.")),
    h("p", {}, h("button", { type: "button", class: "secondary", onclick: onRetry }, gettext("Try again"))),
  );
}

/** A problem the participant can act on; `action` is an optional { href, label } link. */
export function problemScreen(title, message, action = null) {
  return screen(
    "problem-screen",
    title,
    h("p", {}, message),
    action ? h("p", {}, h("a", { class: "button", href: action.href }, action.label)) : null,
  );
}
