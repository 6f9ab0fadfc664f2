// The GOV.UK timeout warning, as progressive enhancement: a dialog some minutes before a resident's
// answers are deleted, to carry on (the session is kept alive) or save them. Without JavaScript the
// page says when the answers will be deleted instead.
const MINUTE = 60 * 1000;

function describe(milliseconds) {
  const minutes = Math.ceil(milliseconds / MINUTE);
  if (minutes > 1) return `${minutes} minutes`;
  const seconds = Math.max(0, Math.ceil(milliseconds / 1000));
  return seconds > 59 ? "1 minute" : `${seconds} seconds`;
}

export function initTimeoutWarning(dialog) {
  const warnBefore = Number(dialog.dataset.warnSeconds) * 1000;
  const countdown = dialog.querySelector(".chorus-timeout-dialog__countdown");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  // Seconds left, counted on this device's clock, which need not agree with the server's.
  let expiresAt = Date.now() + Number(dialog.dataset.expiresIn) * 1000;
  let timers = [];

  const clear = () => { timers.forEach(clearTimeout); timers = []; };
  const timedOut = () => { window.location.href = dialog.dataset.timedOutUrl; };
  const tick = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return timedOut();
    countdown.textContent = describe(left);
    timers.push(setTimeout(tick, left > MINUTE ? MINUTE : 1000));
  };
  const warn = () => {
    tick();
    if (!dialog.open) dialog.showModal();
  };
  const schedule = () => {
    clear();
    timers.push(setTimeout(warn, Math.max(0, expiresAt - Date.now() - warnBefore)));
  };

  dialog.querySelector("[data-timeout-action=continue]").addEventListener("click", async () => {
    const body = new FormData();
    if (token) body.append("csrfmiddlewaretoken", token.value);
    const response = await fetch(dialog.dataset.keepAliveUrl, { method: "POST", body, credentials: "same-origin" });
    if (!response.ok) return timedOut();
    expiresAt = Date.now() + (await response.json()).expires_in * 1000;
    dialog.close();
    schedule();
  });
  // Escape closes the dialog: that is carrying on too, so keep the answers.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    dialog.querySelector("[data-timeout-action=continue]").click();
  });
  schedule();
}
