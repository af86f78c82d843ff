// Builds the front-end assets into static/build/ (generated, not committed):
//   - app.css: our Sass, which compiles GOV.UK Frontend with our font and asset path settings
//   - govuk-frontend.min.js (+ map): GOV.UK Frontend's ES module, imported by app.js
//   - app.js, supported.js, favicon.svg: our own small files from static/src/
//   - assets/images/: GOV.UK Frontend's images, referenced by its CSS
// The GDS Transport font files are deliberately not copied: only GOV.UK may use that font.
import { cpSync, mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "static", "src");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

if (!existsSync(govuk)) {
  console.error("govuk-frontend is not installed: run `npm ci` first.");
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "assets"), { recursive: true });

const css = sass.compile(join(src, "app.scss"), {
  style: "compressed",
  loadPaths: [join(root, "node_modules")],
  // Deprecation warnings from inside govuk-frontend are not ours to fix.
  quietDeps: true,
});
writeFileSync(join(out, "app.css"), css.css + "\n");

for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  cpSync(join(govuk, name), join(out, name));
}
cpSync(join(govuk, "assets", "images"), join(out, "assets", "images"), { recursive: true });

for (const name of ["app.js", "supported.js", "favicon.svg"]) {
  cpSync(join(src, name), join(out, name));
}

if (css.css.includes("GDS Transport")) {
  console.error("app.css mentions GDS Transport: check $govuk-font-family in static/src/app.scss.");
  process.exit(1);
}
console.log(`Built ${out} (app.css ${Math.round(css.css.length / 1024)} kB)`);
