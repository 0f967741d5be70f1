
CREATE TABLE clinics (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,
  country TEXT NOT NULL);
CREATE TABLE doctors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, specialty TEXT NOT NULL,
  clinic_id INTEGER NOT NULL REFERENCES clinics(id), fee REAL NOT NULL);
CREATE TABLE doctor_insurers (doctor_id INTEGER NOT NULL REFERENCES doctors(id),
  insurer TEXT NOT NULL, PRIMARY KEY (doctor_id, insurer));
CREATE TABLE slots (id INTEGER PRIMARY KEY, doctor_id INTEGER NOT NULL REFERENCES doctors(id),
  start TEXT NOT NULL, duration_min INTEGER NOT NULL, status TEXT NOT NULL);
CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT NOT NULL, insurer TEXT NOT NULL,
  city TEXT NOT NULL, birth_year INTEGER NOT NULL);
CREATE TABLE appointments (id INTEGER PRIMARY KEY, patient_id INTEGER NOT NULL
  REFERENCES patients(id), slot_id INTEGER NOT NULL REFERENCES slots(id),
  status TEXT NOT NULL);
