// The enquiry number as commands take it: Q-YYYYMMDD-NNN.
import { arg } from "../../src/bot/index.ts";

export const leadNumber = arg.text({
  label: { zh: "咨询号", en: "enquiry number" },
  pattern: /^[Qq]-\d{8}-\d{3,}$/,
  example: "Q-20261126-001",
});
