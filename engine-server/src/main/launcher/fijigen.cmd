@echo off
rem fijigen: the engine's command line, java -jar fijigen-engine.jar, with the jar beside this script.
rem JAVA_HOME, if set, says which java runs it; JAVA_OPTS, if set, is passed to java (e.g. JAVA_OPTS=-Xmx8g).
setlocal
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" %JAVA_OPTS% -jar "%~dp0fijigen-engine.jar" %*
exit /b %ERRORLEVEL%
