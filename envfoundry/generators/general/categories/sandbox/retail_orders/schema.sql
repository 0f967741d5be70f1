
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE products (sku TEXT PRIMARY KEY, name TEXT NOT NULL, brand TEXT NOT NULL,
  category TEXT NOT NULL, price REAL NOT NULL, rating REAL NOT NULL, stock INTEGER NOT NULL,
  status TEXT NOT NULL);
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, email TEXT NOT NULL,
  city TEXT NOT NULL, tier TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
  order_date TEXT NOT NULL, delivered_date TEXT, status TEXT NOT NULL, total REAL NOT NULL);
CREATE TABLE order_items (order_id INTEGER NOT NULL REFERENCES orders(id), sku TEXT NOT NULL
  REFERENCES products(sku), quantity INTEGER NOT NULL, unit_price REAL NOT NULL,
  PRIMARY KEY (order_id, sku));
CREATE TABLE returns (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id),
  sku TEXT NOT NULL, quantity INTEGER NOT NULL, reason TEXT NOT NULL, refund REAL NOT NULL);
