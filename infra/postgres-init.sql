create database nazorg_test;
