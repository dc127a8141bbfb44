// Display screen: show one slide at a time and move on every data-slide-seconds seconds.
// The page also reloads itself (meta refresh) so new publications appear without anyone.
(function () {
  var body = document.body;
  var slides = document.querySelectorAll(".slide");
  if (!slides.length) return;
  body.classList.add("js");
  var seconds = parseInt(body.getAttribute("data-slide-seconds"), 10) || 12;
  var index = 0;
  var box = document.querySelector(".slides");
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
    for (var k = 0; k < slides.length; k++) slides[k].classList.toggle("active", k === i);
    fit(slides[i]);
  }
  window.addEventListener("resize", function () { fit(slides[index]); });
  show(0);
  setInterval(function () { index = (index + 1) % slides.length; show(index); }, seconds * 1000);
})();
