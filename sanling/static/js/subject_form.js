// A village or community has no category and no department: hide those boxes for them (the server checks
// the rule all the same).
(function () {
  const VILLAGE_KINDS = ["village", "community"];
  const kind = document.getElementById("id_kind");
  if (!kind) return;
  function update() {
    const village = VILLAGE_KINDS.includes(kind.value);
    for (const name of ["category", "department"]) {
      const box = document.querySelector(`[data-field="${name}"]`);
      if (!box) continue;
      box.hidden = village;
      if (village) box.querySelector("select").value = "";
    }
  }
  kind.addEventListener("change", update);
  update();
})();
