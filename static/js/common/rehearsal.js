/**
 * A rehearsal's pages say so once to screen readers (templates/_rehearsal_badge.html). The
 * sentence goes into the polite live region a moment after load, because a region that already
 * holds text when the page loads is not announced, and leaves it again a little later, so that
 * reading through the page afterwards does not meet it a second time (the visible badge stays).
 */
const SETTLE_MS = 1000;
const KEEP_MS = 20_000;

const region = document.getElementById("rehearsal-announcer");
if (region) {
  setTimeout(() => {
    region.textContent = region.dataset.say;
    setTimeout(() => {
      region.textContent = "";
    }, KEEP_MS);
  }, SETTLE_MS);
}
