-- The three standard inspection areas and their checklists (readings with limits, pass/fail checks).
INSERT INTO "inspection_areas" ("code", "name_zh", "name_en", "cutoff") VALUES
  ('warehouse', '仓库', 'Warehouse', '10:00'),
  ('production', '生产车间', 'Production floor', '10:00'),
  ('office', '办公区', 'Office', '10:00');
--> statement-breakpoint
INSERT INTO "inspection_items" ("area_id", "position", "code", "label_zh", "label_en", "kind", "unit", "min", "max", "safety")
SELECT a.id, i.position, i.code, i.label_zh, i.label_en, i.kind, i.unit, i.min, i.max, i.safety
FROM (VALUES
  ('warehouse', 1, 'temperature', '温度', 'Temperature', 'reading', '°C', 18, 26, false),
  ('warehouse', 2, 'humidity', '湿度', 'Humidity', 'reading', '%', 40, 70, false),
  ('warehouse', 3, 'fire_extinguisher', '灭火器在位', 'Fire extinguisher present', 'check', NULL, NULL, NULL, true),
  ('warehouse', 4, 'exits_clear', '安全出口畅通', 'Exits clear', 'check', NULL, NULL, NULL, true),
  ('warehouse', 5, 'stacking_safe', '货物堆放稳固', 'Goods stacked safely', 'check', NULL, NULL, NULL, true),
  ('production', 1, 'temperature', '温度', 'Temperature', 'reading', '°C', 18, 26, false),
  ('production', 2, 'humidity', '湿度', 'Humidity', 'reading', '%', 40, 70, false),
  ('production', 3, 'machine_guards', '机器防护罩到位', 'Machine guards in place', 'check', NULL, NULL, NULL, true),
  ('production', 4, 'fire_extinguisher', '灭火器在位', 'Fire extinguisher present', 'check', NULL, NULL, NULL, true),
  ('production', 5, 'exits_clear', '安全出口畅通', 'Exits clear', 'check', NULL, NULL, NULL, true),
  ('production', 6, 'first_aid_kit', '急救箱物品齐全', 'First-aid kit stocked', 'check', NULL, NULL, NULL, true),
  ('office', 1, 'temperature', '温度', 'Temperature', 'reading', '°C', 18, 26, false),
  ('office', 2, 'humidity', '湿度', 'Humidity', 'reading', '%', 40, 70, false),
  ('office', 3, 'fire_extinguisher', '灭火器在位', 'Fire extinguisher present', 'check', NULL, NULL, NULL, true),
  ('office', 4, 'exits_clear', '安全出口畅通', 'Exits clear', 'check', NULL, NULL, NULL, true),
  ('office', 5, 'first_aid_kit', '急救箱物品齐全', 'First-aid kit stocked', 'check', NULL, NULL, NULL, true)
) AS i (area_code, position, code, label_zh, label_en, kind, unit, min, max, safety)
JOIN "inspection_areas" a ON a.code = i.area_code;
