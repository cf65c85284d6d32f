CREATE TABLE broken_thing (id INT PRIMARY KEY);
CREAT TABLE broken_other (id INT);
