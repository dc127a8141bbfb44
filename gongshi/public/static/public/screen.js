// Display screen: show one slide at a time and move on every data-slide-seconds seconds;
// every data-refresh-seconds seconds fetch the page again and swap in its content, so new
// publications appear without anyone touching the screen (no meta refresh: it would reload
// under a reader's eyes and cannot be paused). The pause button stops both (WCAG 2.2.2).
// What a swap changed, and the pause, are said in the polite live region #screen-announce
// (the slides themselves stay aria-live="off": their rotation is not news).
(function () {
  var body = document.body;
  var box = document.querySelector(".slides");
  if (!box) return;
  body.classList.add("js");
  var slideSeconds = parseInt(body.getAttribute("data-slide-seconds"), 10) || 12;
  var refreshSeconds = parseInt(body.getAttribute("data-refresh-seconds"), 10) || 300;
  var pause = document.querySelector(".screen-pause");
  var slides = [];
  var index = 0;
  var paused = false;
  // A slide with more lines than the screen holds is set smaller until it fits, so nothing
  // disappears under the footer (down to 45 % of the screen's type size).
  function fit(slide) {
    var style = getComputedStyle(box);
    var room = box.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    var size = 100;
    slide.style.fontSize = "";
    while (slide.scrollHeight > room && size > 45) {
      size -= 5;
      slide.style.fontSize = size + "%";
    }
  }
  function show(i) {
    if (!slides.length) return;
    index = i % slides.length;
    for (var k = 0; k < slides.length; k++) slides[k].classList.toggle("active", k === index);
    fit(slides[index]);
  }
  var announcer = document.getElementById("screen-announce");
  function announce(text) {
    if (!announcer || !text) return;
    // Emptied first, so the same sentence twice is announced twice.
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = text; }, 50);
  }
  function latest(root) {
    return Array.prototype.map.call(
      root.querySelectorAll(".slide[data-latest] li"), function (li) { return li.textContent.trim(); });
  }
  function whatChanged(before, fresh) {
    // New lines in "latest publications" are named; any other change is said in general.
    var known = latest(document);
    var added = latest(fresh).filter(function (line) { return known.indexOf(line) < 0; });
    if (added.length) {
      return announcer.getAttribute("data-new") + " " + added.slice(0, 3).join("；");
    }
    return before !== fresh.querySelector(".slides").textContent ? announcer.getAttribute("data-changed") : "";
  }
  function collect() {
    slides = box.querySelectorAll(".slide");
  }
  function refresh() {
    if (paused) return;
    // no-cache: revalidate with the ETag, so an unchanged page costs a 304.
    fetch(location.href, { cache: "no-cache", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        if (!fresh.querySelector(".slides")) return;
        var message = announcer ? whatChanged(box.textContent, fresh) : "";
        [".screen-title", ".slides", ".screen-foot p"].forEach(function (selector) {
          var from = fresh.querySelector(selector);
          var to = document.querySelector(selector);
          if (from && to) to.innerHTML = from.innerHTML;
        });
        collect();
        show(index);
        announce(message);
      })
      .catch(function () { /* offline for a moment: keep showing what we have */ });
  }
  if (pause) {
    pause.hidden = false;
    pause.addEventListener("click", function () {
      paused = !paused;
      pause.setAttribute("aria-pressed", paused ? "true" : "false");
      pause.textContent = pause.getAttribute(paused ? "data-resume" : "data-pause");
      if (announcer) announce(announcer.getAttribute(paused ? "data-paused" : "data-resumed"));
    });
  }
  window.addEventListener("resize", function () { show(index); });
  collect();
  show(0);
  setInterval(function () { if (!paused) show(index + 1); }, slideSeconds * 1000);
  setInterval(refresh, refreshSeconds * 1000);
})();
