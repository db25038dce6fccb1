// Show only the fields that belong to the chosen event type (the server checks them all the same).
(function () {
  const FIELDS = {
    petition: ["petition_level", "higher_authority_required", "collective"],
    accident: ["accident_grade", "deaths", "injuries"],
    public_safety: ["accident_grade", "deaths", "injuries"],
  };
  const OPTIONAL = ["petition_level", "higher_authority_required", "collective", "accident_grade", "deaths", "injuries"];
  const type = document.getElementById("id_type");
  if (!type) return;
  function update() {
    const shown = FIELDS[type.value] || [];
    for (const name of OPTIONAL) {
      const box = document.querySelector(`[data-field="${name}"]`);
      if (!box) continue;
      box.hidden = !shown.includes(name);
      if (box.hidden) {  // a hidden field must not send a value the type does not allow
        const input = box.querySelector("input, select");
        if (input.type === "checkbox") input.checked = false;
        else if (input.type === "number") input.value = "0";
        else input.value = "";
      }
    }
  }
  type.addEventListener("change", update);
  update();
})();
