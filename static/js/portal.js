// Progressive enhancement only: every link and form works without this file.
(function () {
  "use strict";
  // After HTMX swaps a region, move focus to its heading and announce it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var region = event.detail.target;
    if (!region) { return; }
    var heading = region.querySelector("[data-focus-after-swap]") || region.querySelector("h2, h1");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) { heading.setAttribute("tabindex", "-1"); }
      heading.focus();
      var announcer = document.getElementById("announcer");
      if (announcer) { announcer.textContent = heading.textContent.trim(); }
    }
  });

  // A form that failed validation answers 422 with the form and its errors: swap it in.
  if (window.htmx) {
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "422", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
      { code: "...", swap: false }
    ];
  }

  // Any other failure of an enhanced form (rate limit, expired session, server error): send
  // the form the plain way, so the visitor sees the full error page instead of nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var form = event.detail.elt;
    if (form && form.matches && form.matches("form[data-submit-natively-on-error]")) {
      HTMLFormElement.prototype.submit.call(form);
    }
  });

  // A link whose swap failed (a page that no longer exists, a server error, no network):
  // follow it the plain way, so the visitor sees the full error page rather than nothing.
  function followLinkNatively(event) {
    var link = event.detail.elt;
    if (link && link.matches && link.matches("a[href][hx-get]")) {
      window.location.assign(link.href);
    }
  }
  document.addEventListener("htmx:responseError", followLinkNatively);
  document.addEventListener("htmx:sendError", followLinkNatively);

  // An error summary on a page that was loaded whole gets the focus, as after a swap.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
  });

  // "Other: please specify" boxes: always in the page; hidden until their option is chosen.
  function updateConditionals(root) {
    var blocks = root.querySelectorAll("[data-shown-when]");
    Array.prototype.forEach.call(blocks, function (block) {
      var option = document.getElementById(block.getAttribute("data-shown-when"));
      var hasError = block.querySelector(".field-error") !== null;
      block.classList.toggle("choices__conditional--hidden", !!option && !option.checked && !hasError);
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target && event.target.form;
    if (form) { updateConditionals(form); }
  });
  document.addEventListener("DOMContentLoaded", function () { updateConditionals(document); });
  document.addEventListener("htmx:load", function (event) { updateConditionals(event.detail.elt); });
})();
