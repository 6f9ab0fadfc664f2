// Progressive enhancement only: every page works without this.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initTimeoutWarning } from "./timeout.js";

initAll();
document.querySelectorAll("dialog.chorus-timeout-dialog").forEach(initTimeoutWarning);
