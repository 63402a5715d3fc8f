/* « Votre commune »: as you type, the matching communes (names, historic names,
   postcodes) are offered in the field's list. Without JavaScript, the text typed is read
   by the server all the same (a name, a postcode or an INSEE code). */
(function () {
  "use strict";
  document.querySelectorAll("input[data-communes-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) { return; }
      timer = setTimeout(function () {
        fetch(input.dataset.communesUrl + "?q=" + encodeURIComponent(text))
          .then(function (response) { return response.json(); })
          .then(function (data) {
            list.textContent = "";
            data.communes.forEach(function (commune) {
              var option = document.createElement("option");
              option.value = commune.value;
              option.label = commune.label;
              list.appendChild(option);
            });
          });
      }, 200);
    });
  });
}());
