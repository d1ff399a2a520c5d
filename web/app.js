const list = document.getElementById("frameworks");
const frameworks = await (await fetch("/api/frameworks")).json();
list.replaceChildren(...frameworks.map((f) => {
  const li = document.createElement("li");
  const name = document.createElement("strong");
  name.textContent = f.name;
  li.append(name, ` — ${f.description}`);
  return li;
}));
