/* sphinx-opsboundary: click-to-load players (SPEC §9).
 *
 * A player starts as a link to the episode's deep link, which works without
 * JavaScript.  This script turns it into a real <button>; only when the reader
 * presses it does the page ask the platform for anything, by inserting its
 * privacy-preserving player (youtube-nocookie.com, or Vimeo with dnt=1).
 * First-party, no dependencies, loaded only on pages that hold a player.
 */
(function () {
  "use strict";

  var HOSTS = ["www.youtube-nocookie.com", "player.vimeo.com"];

  function playerUrl(player) {
    var url;
    try {
      url = new URL(player.getAttribute("data-opsboundary-embed"));
    } catch (error) {
      return null;
    }
    if (url.protocol !== "https:" || HOSTS.indexOf(url.hostname) < 0) {
      return null;
    }
    url.searchParams.set("autoplay", "1"); // the reader has just pressed play
    return url.href;
  }

  function activate(player, button) {
    var src = playerUrl(player);
    if (!src) {
      return;
    }
    var frame = document.createElement("iframe");
    frame.className = "opsboundary-player-iframe";
    frame.src = src;
    frame.title = player.getAttribute("data-opsboundary-frame-title") || "";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("allowfullscreen", "");
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    var box = document.createElement("div");
    box.className = "opsboundary-player-frame";
    box.appendChild(frame);
    button.replaceWith(box);
    player.classList.add("opsboundary-player-active");
    frame.focus();
  }

  function upgrade(player) {
    var link = player.querySelector("a.opsboundary-player-start");
    if (!link || !playerUrl(player)) {
      return; // keep the plain link
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute(
      "aria-label",
      player.getAttribute("data-opsboundary-play-label") || link.getAttribute("aria-label")
    );
    while (link.firstChild) {
      button.appendChild(link.firstChild);
    }
    link.replaceWith(button);
    button.addEventListener("click", function () {
      activate(player, button);
    });
  }

  function init() {
    var players = document.querySelectorAll(".opsboundary-player[data-opsboundary-embed]");
    Array.prototype.forEach.call(players, upgrade);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
