// The network map works without this file. It only lets Escape hide a city's name shown
// on hover or focus (WCAG 1.4.13: such content can be dismissed without moving away);
// names show again when the pointer or the focus reaches another city.
(() => {
  const quiet = "network-map--quiet";
  let dismissed = null;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const maps = document.querySelectorAll(".network-map");
    if (!maps.length) return;
    dismissed = document.querySelector(".network-map__city:hover, .network-map__city:focus");
    maps.forEach((map) => map.classList.add(quiet));
  });
  const wake = (event) => {
    const city = event.target.closest && event.target.closest(".network-map__city");
    if (!city || city === dismissed) return;
    dismissed = null;
    city.closest(".network-map").classList.remove(quiet);
  };
  document.addEventListener("focusin", wake);
  document.addEventListener("pointerover", wake);
})();
