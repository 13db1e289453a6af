@echo off
rem fijigen: the engine's command line, java -jar fijigen-engine.jar, with the jar beside this script.
rem JAVA_HOME, if set, says which java runs it; JAVA_OPTS, if set, is passed to java after the defaults
rem below, so its options win (e.g. JAVA_OPTS=-Xmx8g).
setlocal
rem Memory bounds: see the shell launcher beside this one for why.
set "MEMORY=-Xmx2g -XX:MaxDirectMemorySize=1g -XX:G1PeriodicGCInterval=10000 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" %MEMORY% %JAVA_OPTS% -jar "%~dp0fijigen-engine.jar" %*
exit /b %ERRORLEVEL%
