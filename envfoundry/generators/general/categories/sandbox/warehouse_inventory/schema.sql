
CREATE TABLE warehouses (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, city TEXT NOT NULL,
  country TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL);
CREATE TABLE skus (sku TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,
  unit_weight_kg REAL NOT NULL);
CREATE TABLE stock (warehouse_id INTEGER NOT NULL REFERENCES warehouses(id),
  sku TEXT NOT NULL REFERENCES skus(sku), qty INTEGER NOT NULL, reorder_point INTEGER NOT NULL,
  PRIMARY KEY (warehouse_id, sku));
CREATE TABLE lanes (from_id INTEGER NOT NULL, to_id INTEGER NOT NULL, mode TEXT NOT NULL,
  distance_km REAL NOT NULL, cost_per_unit REAL NOT NULL, lead_days INTEGER NOT NULL,
  PRIMARY KEY (from_id, to_id));
CREATE TABLE demand_forecast (warehouse_id INTEGER NOT NULL, sku TEXT NOT NULL,
  week_start TEXT NOT NULL, qty INTEGER NOT NULL, PRIMARY KEY (warehouse_id, sku));
CREATE TABLE transfers (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, from_id INTEGER NOT NULL,
  to_id INTEGER NOT NULL, qty INTEGER NOT NULL, cost_per_unit REAL NOT NULL,
  total_cost REAL NOT NULL, lead_days INTEGER NOT NULL);
