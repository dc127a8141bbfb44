// Kiosk: after data-idle-seconds without a touch, key or scroll, go back to the start page,
// so the next person does not find the previous person's search.
(function () {
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-idle-seconds"), 10) || 90;
  var start = body.getAttribute("data-start-url") || "/kiosk/";
  var timer;
  function reset() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (location.pathname + location.search !== start) location.href = start;
    }, seconds * 1000);
  }
  ["touchstart", "pointerdown", "keydown", "scroll", "wheel"].forEach(function (name) {
    window.addEventListener(name, reset, { passive: true });
  });
  reset();
})();
