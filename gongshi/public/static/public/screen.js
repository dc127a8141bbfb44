// Display screen: show one slide at a time and move on every data-slide-seconds seconds.
// The page also reloads itself (meta refresh) so new publications appear without anyone.
(function () {
  var body = document.body;
  var slides = document.querySelectorAll(".slide");
  if (!slides.length) return;
  body.classList.add("js");
  var seconds = parseInt(body.getAttribute("data-slide-seconds"), 10) || 12;
  var index = 0;
  function show(i) {
    for (var k = 0; k < slides.length; k++) slides[k].classList.toggle("active", k === i);
  }
  show(0);
  setInterval(function () { index = (index + 1) % slides.length; show(index); }, seconds * 1000);
})();
