
CREATE TABLE courses (code TEXT PRIMARY KEY, title TEXT NOT NULL, dept TEXT NOT NULL,
  credits INTEGER NOT NULL, days TEXT NOT NULL, start TEXT NOT NULL, end TEXT NOT NULL,
  room TEXT NOT NULL, capacity INTEGER NOT NULL, enrolled INTEGER NOT NULL);
CREATE TABLE prerequisites (course TEXT NOT NULL REFERENCES courses(code),
  requires TEXT NOT NULL REFERENCES courses(code), PRIMARY KEY (course, requires));
CREATE TABLE students (id INTEGER PRIMARY KEY, name TEXT NOT NULL, program TEXT NOT NULL,
  year INTEGER NOT NULL, max_credits INTEGER NOT NULL);
CREATE TABLE completed (student_id INTEGER NOT NULL REFERENCES students(id),
  course TEXT NOT NULL REFERENCES courses(code), grade TEXT NOT NULL,
  PRIMARY KEY (student_id, course));
CREATE TABLE enrollments (id INTEGER PRIMARY KEY, student_id INTEGER NOT NULL
  REFERENCES students(id), course TEXT NOT NULL REFERENCES courses(code), status TEXT NOT NULL);
CREATE TABLE university (name TEXT, city TEXT, country TEXT, term TEXT);
