// Tell GOV.UK Frontend's CSS that JavaScript runs here (hides conditional reveals until chosen, etc.).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
