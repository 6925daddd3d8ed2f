// Progressive enhancement only: every link and form works without this file.
(function () {
  "use strict";
  function address() { return window.location.pathname + window.location.search; }

  // After a change, focus moves to the heading of the region that changed: a screen reader
  // reads what gets focus, so that is the one announcement (a live region would repeat it).
  // What the heading does not say (the year, after the Country / Year form) the new content
  // names in an element marked data-describes-swap, read as the heading's description.
  function focusHeadingOf(region) {
    var heading = region.querySelector("[data-focus-after-swap]") || region.querySelector("h2, h1");
    if (!heading) { return false; }
    var description = region.querySelector("[data-describes-swap][id]");
    if (description) { heading.setAttribute("aria-describedby", description.id); }
    if (!heading.hasAttribute("tabindex")) { heading.setAttribute("tabindex", "-1"); }
    heading.focus();
    return true;
  }

  // For Back and Forward: the region whose swap showed each address, and in which order.
  var swappedInto = {};
  var swapCount = 0;
  var pushedAddress = null;
  var shownAddress = address();
  // A swap settles its target and each element swapped out of band, each firing
  // htmx:afterSettle with the same details: act on the first only.
  var settledSwap = null;

  document.addEventListener("htmx:pushedIntoHistory", function () { pushedAddress = address(); });

  // A text field that asks as the visitor types (the search page) and still has the focus keeps
  // it: moving it would take the next keystrokes. Its results region announces itself
  // (aria-live="polite") instead.
  function visitorIsTyping(detail) {
    var field = detail.requestConfig && detail.requestConfig.elt;
    return !!field && field === document.activeElement && field.matches("input, textarea");
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var region = event.detail.target;
    if (!region || event.detail === settledSwap) { return; }
    settledSwap = event.detail;
    if (pushedAddress) {
      swappedInto[pushedAddress] = { region: region.id, order: swapCount += 1 };
      pushedAddress = null;
    }
    shownAddress = address();
    if (!visitorIsTyping(event.detail)) { focusHeadingOf(region); }
  });

  // The page's canonical and language links, in the <head>: fragments replace them out of band.
  var HEAD_LINKS = "link[rel=canonical], link[rel=alternate][hreflang]";

  // Back and Forward: htmx fetches the whole page again (historyCacheSize 0) and swaps its body
  // only. The two addresses differ by the region whose swap showed the later of them: focus its
  // heading, as after that swap (else the page's h1); take the <head>'s links from the page.
  document.addEventListener("htmx:historyRestore", function (event) {
    var leaving = swappedInto[shownAddress];
    var arriving = swappedInto[address()];
    var later = leaving && (!arriving || leaving.order > arriving.order) ? leaving : arriving;
    var region = later ? document.getElementById(later.region) : null;
    shownAddress = address();
    if (!(region && focusHeadingOf(region))) {
      var heading = document.querySelector("main h1");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
    if (event.detail.serverResponse) {
      var restored = new DOMParser().parseFromString(event.detail.serverResponse, "text/html");
      Array.prototype.forEach.call(document.head.querySelectorAll(HEAD_LINKS), function (link) {
        link.remove();
      });
      Array.prototype.forEach.call(restored.head.querySelectorAll(HEAD_LINKS), function (link) {
        document.head.appendChild(document.importNode(link, true));
      });
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

  // A field that asks as the visitor types (the search) shows the message of a refused
  // question (400: too long, nothing to look for) in place of the results it asked for.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var asker = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (event.detail.xhr.status === 400 && asker && asker.matches &&
        asker.matches("[data-swap-refusal]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

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

// A table's scrolling box (.table-scroll[role=region]) is a Tab stop only while its table is
// wider than the box: keyboard users can then scroll it, and meet no empty stop otherwise.
// Without this script every such box keeps the tabindex="0" the page is served with.
(function tableScrollTabStops() {
  "use strict";
  var pending = false;
  function update() {
    pending = false;
    var regions = document.querySelectorAll(".table-scroll[role=region]");
    Array.prototype.forEach.call(regions, function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
      } else if (region !== document.activeElement) {
        region.removeAttribute("tabindex");
      }
    });
  }
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(update);
    }
  }
  document.addEventListener("DOMContentLoaded", schedule);
  document.addEventListener("htmx:load", schedule);
  window.addEventListener("resize", schedule);
  // An opened <details> (other results, a folded explanation) may hold a table ("toggle"
  // does not bubble, so it is caught on its way down).
  document.addEventListener("toggle", schedule, true);
})();
