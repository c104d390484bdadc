// Chronicle's small enhancements. Every page works without them.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();

// Warn two minutes before the idle session expires, and let people stay signed in.
const warning = document.querySelector('[data-module="app-session-warning"]');
if (warning) {
  const idleMs = Number(warning.dataset.idleMinutes) * 60 * 1000;
  const warnBeforeMs = 2 * 60 * 1000;
  const csrf = document.querySelector('input[name="csrfmiddlewaretoken"]');
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      warning.hidden = false;
      warning.querySelector("[data-keep-alive]").focus();
    }, Math.max(idleMs - warnBeforeMs, 0));
  };
  warning.querySelector("[data-keep-alive]").addEventListener("click", async () => {
    const response = await fetch(warning.dataset.keepAliveUrl, {
      method: "POST",
      headers: csrf ? { "X-CSRFToken": csrf.value } : {},
      credentials: "same-origin",
    });
    if (response.ok) {
      warning.hidden = true;
      arm();
    } else {
      window.location.reload();
    }
  });
  arm();
}
